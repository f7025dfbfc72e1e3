package io.monitml.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Boston housing data set shipped with the demo: twelve features and the target {@code medv}
 * (median home value in thousands of dollars), one row per census tract.
 *
 * <p>The last column of the CSV is the target and every other column a feature, so the loader
 * needs no knowledge of the column names beyond what the header says.
 */
public final class BostonHousing {

    /** Classpath location of the shipped CSV. */
    public static final String RESOURCE = "/data/boston-housing.csv";

    /** Name of the target column, which must be the last one. */
    public static final String TARGET = "medv";

    private final List<String> featureNames;
    private final double[][] features;
    private final double[] medv;

    private BostonHousing(List<String> featureNames, double[][] features, double[] medv) {
        this.featureNames = List.copyOf(featureNames);
        this.features = features;
        this.medv = medv;
    }

    /** Loads the CSV shipped with the application. */
    public static BostonHousing load() {
        return load(RESOURCE);
    }

    /**
     * Loads a CSV of the same layout from the classpath.
     *
     * @throws IllegalStateException if the resource is missing or not of the expected layout
     */
    public static BostonHousing load(String resource) {
        InputStream in = BostonHousing.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("Classpath resource " + resource + " not found");
        }
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(reader, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read classpath resource " + resource, e);
        }
    }

    /**
     * Parses CSV text: a header of lowercase column names ending with {@value #TARGET}, then one
     * row of numbers per line.
     *
     * @param source named in error messages
     * @throws IllegalStateException naming the source and line of the first malformed line
     */
    public static BostonHousing parse(Reader reader, String source) throws IOException {
        BufferedReader lines = new BufferedReader(reader);
        String header = lines.readLine();
        if (header == null || header.isBlank()) {
            throw new IllegalStateException(source + ": empty, expected a header line");
        }
        List<String> columns = Arrays.stream(header.split(",", -1)).map(String::strip).toList();
        if (columns.size() < 2 || !TARGET.equals(columns.get(columns.size() - 1))) {
            throw new IllegalStateException(
                    source + " line 1: expected feature columns then " + TARGET + ", got " + header);
        }
        for (String column : columns) {
            if (column.isEmpty() || !column.equals(column.toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException(
                        source + " line 1: column names must be non-empty and lowercase, got " + header);
            }
        }
        int width = columns.size();
        List<double[]> rows = new ArrayList<>();
        int lineNumber = 1;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            rows.add(parseRow(line, width, source, lineNumber));
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException(source + ": header but no data rows");
        }
        double[][] features = new double[rows.size()][];
        double[] target = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            features[i] = Arrays.copyOf(row, width - 1);
            target[i] = row[width - 1];
        }
        return new BostonHousing(columns.subList(0, width - 1), features, target);
    }

    private static double[] parseRow(String line, int width, String source, int lineNumber) {
        String[] cells = line.split(",", -1);
        if (cells.length != width) {
            throw new IllegalStateException(
                    source + " line " + lineNumber + ": expected " + width + " values, got " + cells.length);
        }
        double[] row = new double[width];
        for (int j = 0; j < width; j++) {
            try {
                row[j] = Double.parseDouble(cells[j].strip());
            } catch (NumberFormatException e) {
                throw new IllegalStateException(
                        source + " line " + lineNumber + " column " + (j + 1) + ": not a number: '"
                                + cells[j] + "'", e);
            }
            if (!Double.isFinite(row[j])) {
                throw new IllegalStateException(
                        source + " line " + lineNumber + " column " + (j + 1) + ": not finite: " + cells[j]);
            }
        }
        return row;
    }

    /** The feature column names in CSV order, without the target. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Position of a feature in {@link #featureNames()} and in each row. */
    public int featureIndex(String name) {
        int index = featureNames.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("No feature '" + name + "' in " + featureNames);
        }
        return index;
    }

    /** Number of rows. */
    public int size() {
        return medv.length;
    }

    /** A copy of one row's features. */
    public double[] row(int index) {
        return features[index].clone();
    }

    /** A copy of all feature rows. */
    public double[][] features() {
        double[][] copy = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            copy[i] = features[i].clone();
        }
        return copy;
    }

    /** A copy of the target, median home value in thousands of dollars. */
    public double[] medv() {
        return medv.clone();
    }
}
