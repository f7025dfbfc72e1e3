package io.monitml.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.monitml.aggregate.FeatureWindow;
import io.monitml.avro.FeatureBaseline;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.TrainingBaseline;
import io.monitml.ingest.Limits;
import io.monitml.stats.PopulationStabilityIndex;

/**
 * Summarises a model's training data into a {@link TrainingBaseline}: per feature the count and
 * missing count, a mergeable quantile sketch, quantile bin edges for PSI with their expected
 * proportions, and for categorical features the top categories' proportions. A table wider than
 * the pipeline keeps (--max-features' default, 256 columns) gives the first 256 and the three row
 * summaries of {@link FeatureWindow} over all its numeric columns, as a window of that model has.
 *
 * <p>The table is read in passes, one row at a time: the first learns the rows and which columns
 * are numeric, the second summarises, and a third counts the bins when the values were too many
 * to hold ({@link NumericColumn}).
 */
public final class BaselineBuilder {

    private final BaselineSpec spec;

    public BaselineBuilder(final BaselineSpec spec) {
        this.spec = spec;
    }

    public TrainingBaseline build(final Table table, final String source, final Instant createdAt) throws IOException {
        final List<String> header = table.header();
        final int targetColumn = spec.target() == null ? -1 : table.column(spec.target());
        for (String named : union(spec.categorical(), spec.numeric(), spec.exclude())) {
            table.column(named);
        }
        final List<Integer> columns = new ArrayList<>();
        for (int column = 0; column < header.size(); column++) {
            if (column != targetColumn && !spec.exclude().contains(header.get(column))) {
                columns.add(column);
            }
        }
        final TableScan scan = TableScan.of(table);
        if (scan.rows() == 0) {
            throw new IllegalArgumentException(source + " has a header but no rows");
        }
        // A window keeps the first --max-features columns of a wider payload and summarises its rows: so does the baseline.
        final List<Integer> summarised = new ArrayList<>(columns.subList(0, Math.min(columns.size(), Limits.DEFAULT_MAX_FEATURES)));
        if (targetColumn >= 0) {
            summarised.add(targetColumn);
        }
        final boolean rowSummaries = columns.size() > Limits.DEFAULT_MAX_FEATURES;
        final Map<Integer, FeatureKind> kinds = new LinkedHashMap<>();
        summarised.forEach(column -> kinds.put(column, kind(header.get(column), scan.numeric()[column])));
        final long numericColumns = kinds.values().stream().filter(FeatureKind.NUMERIC::equals).count()
            + (rowSummaries ? FeatureWindow.ROW_SUMMARIES.size() : 0);
        final boolean hold = NumericColumn.holdable(scan.rows() * numericColumns);

        final Map<Integer, NumericColumn> numeric = new LinkedHashMap<>();
        final Map<Integer, CategoryCounts> categorical = new LinkedHashMap<>();
        kinds.forEach((column, kind) -> {
            if (kind == FeatureKind.NUMERIC) {
                numeric.put(column, new NumericColumn(spec.sketchK(), scan.rows(), hold));
            } else {
                categorical.put(column, new CategoryCounts());
            }
        });
        final List<NumericColumn> summaries = new ArrayList<>();
        if (rowSummaries) {
            FeatureWindow.ROW_SUMMARIES.forEach(name -> summaries.add(new NumericColumn(spec.sketchK(), scan.rows(), hold)));
        }
        table.forEachRow(row -> {
            numeric.forEach((column, values) -> values.add(Cells.number(row[column])));
            categorical.forEach((column, counts) -> counts.add(row[column]));
            if (rowSummaries) {
                final double[] summary = rowSummary(row, columns);
                for (int i = 0; i < summary.length; i++) {
                    summaries.get(i).add(summary[i]);
                }
            }
        });

        final Map<NumericColumn, double[]> edges = new LinkedHashMap<>();
        numeric.values().forEach(values -> edges.put(values, values.binEdges(spec.bins())));
        summaries.forEach(values -> edges.put(values, values.binEdges(spec.bins())));
        final Map<NumericColumn, long[]> counts = hold ? held(edges) : countBins(table, numeric, summaries, columns, edges);

        final Map<Integer, FeatureBaseline> baselines = new LinkedHashMap<>();
        numeric.forEach((column, values) -> baselines.put(column, numeric(header.get(column), values, edges.get(values),
            counts.get(values), scan.rows())));
        categorical.forEach((column, values) -> baselines.put(column, categorical(header.get(column), values, scan.rows())));
        final List<FeatureBaseline> features = new ArrayList<>();
        summarised.stream().filter(column -> column != targetColumn).forEach(column -> features.add(baselines.get(column)));
        for (int i = 0; i < summaries.size(); i++) {
            final NumericColumn values = summaries.get(i);
            features.add(numeric(FeatureWindow.ROW_SUMMARIES.get(i), values, edges.get(values), counts.get(values), scan.rows()));
        }
        return TrainingBaseline.newBuilder()
            .setDeployment(spec.deployment())
            .setModel(spec.model())
            .setModelVersion(spec.version())
            .setCreatedAt(createdAt)
            .setRowCount(scan.rows())
            .setSource(source)
            .setFeatures(features)
            .setTarget(targetColumn < 0 ? null : baselines.get(targetColumn))
            .build();
    }

    private FeatureKind kind(final String name, final boolean numeric) {
        if (spec.categorical().contains(name)) {
            return FeatureKind.CATEGORICAL;
        }
        return spec.numeric().contains(name) || numeric ? FeatureKind.NUMERIC : FeatureKind.CATEGORICAL;
    }

    private static Map<NumericColumn, long[]> held(final Map<NumericColumn, double[]> edges) {
        final Map<NumericColumn, long[]> counts = new LinkedHashMap<>();
        edges.forEach((values, columnEdges) -> counts.put(values, values.counts(columnEdges)));
        return counts;
    }

    /** A third pass: the values per bin of columns too large to hold. */
    private static Map<NumericColumn, long[]> countBins(final Table table, final Map<Integer, NumericColumn> numeric,
                                                        final List<NumericColumn> summaries, final List<Integer> columns,
                                                        final Map<NumericColumn, double[]> edges) throws IOException {
        final Map<Integer, NumericColumn.BinCounts> byColumn = new LinkedHashMap<>();
        numeric.forEach((column, values) -> byColumn.put(column, new NumericColumn.BinCounts(edges.get(values))));
        final List<NumericColumn.BinCounts> bySummary = summaries.stream().map(values -> new NumericColumn.BinCounts(edges.get(values)))
            .toList();
        table.forEachRow(row -> {
            byColumn.forEach((column, bins) -> bins.add(Cells.number(row[column])));
            if (!bySummary.isEmpty()) {
                final double[] summary = rowSummary(row, columns);
                for (int i = 0; i < summary.length; i++) {
                    bySummary.get(i).add(summary[i]);
                }
            }
        });
        final Map<NumericColumn, long[]> counts = new LinkedHashMap<>();
        numeric.forEach((column, values) -> counts.put(values, byColumn.get(column).counts()));
        for (int i = 0; i < summaries.size(); i++) {
            counts.put(summaries.get(i), bySummary.get(i).counts());
        }
        return counts;
    }

    /** A row's mean, standard deviation and L2 norm over its numeric cells, as {@link FeatureWindow} computes them. */
    private static double[] rowSummary(final String[] row, final List<Integer> columns) {
        long count = 0;
        double sum = 0;
        double squares = 0;
        for (int column : columns) {
            final double value = Cells.number(row[column]);
            if (Double.isFinite(value)) {
                count++;
                sum += value;
                squares += value * value;
            }
        }
        if (count == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        final double mean = sum / count;
        return new double[] {mean, Math.sqrt(Math.max(0.0, squares / count - mean * mean)), Math.sqrt(squares)};
    }

    private static FeatureBaseline numeric(final String name, final NumericColumn values, final double[] edges, final long[] counts,
                                           final long rows) {
        final long present = values.present();
        return FeatureBaseline.newBuilder()
            .setName(name)
            .setKind(FeatureKind.NUMERIC)
            .setCount(present)
            .setMissingCount(rows - present)
            .setMin(present == 0 ? null : values.moments().min())
            .setMax(present == 0 ? null : values.moments().max())
            .setMean(present == 0 ? null : values.moments().mean())
            .setStddev(present < 2 ? null : Math.sqrt(values.moments().variance()))
            .setSketch(ByteBuffer.wrap(values.sketch().toByteArray()))
            .setBinEdges(boxed(edges))
            .setBinProportions(boxed(PopulationStabilityIndex.proportions(counts)))
            .build();
    }

    private FeatureBaseline categorical(final String name, final CategoryCounts values, final long rows) {
        final long present = values.present();
        final Map<String, Double> top = new LinkedHashMap<>();
        values.counts().entrySet().stream()
            // The pipeline counts categories longer than this as other: so does the baseline.
            .filter(entry -> entry.getKey().length() <= Limits.MAX_CATEGORY_LENGTH)
            .limit(spec.topCategories())
            .forEach(entry -> top.put(entry.getKey(), (double) entry.getValue() / present));
        final double kept = top.values().stream().mapToDouble(Double::doubleValue).sum();
        return FeatureBaseline.newBuilder()
            .setName(name)
            .setKind(FeatureKind.CATEGORICAL)
            .setCount(present)
            .setMissingCount(rows - present)
            .setCategories(top)
            .setOtherProportion(present == 0 ? 0.0 : Math.max(0.0, 1.0 - kept))
            .build();
    }

    private static List<Double> boxed(final double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    @SafeVarargs
    private static List<String> union(final Set<String>... sets) {
        final List<String> all = new ArrayList<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }
}
