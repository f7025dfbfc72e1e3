package io.monitml.baseline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.datasketches.kll.KllDoublesSketch;

import io.monitml.avro.FeatureBaseline;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.TrainingBaseline;
import io.monitml.drift.FeatureWindow;
import io.monitml.ingest.Limits;
import io.monitml.stats.PopulationStabilityIndex;
import io.monitml.stats.RunningMoments;

/**
 * Summarises a model's training data into a {@link TrainingBaseline}: per feature the count and
 * missing count, a mergeable quantile sketch, quantile bin edges for PSI with their expected
 * proportions, and for categorical features the top categories' proportions. A table wider than
 * the pipeline keeps (--max-features' default, 256 columns) gives the first 256 and the three row
 * summaries of {@link FeatureWindow} over all its numeric columns, as a window of that model has.
 */
public final class BaselineBuilder {

    private final BaselineSpec spec;

    public BaselineBuilder(final BaselineSpec spec) {
        this.spec = spec;
    }

    public TrainingBaseline build(final CsvTable table, final String source, final Instant createdAt) {
        if (table.size() == 0) {
            throw new IllegalArgumentException(source + " has a header but no rows");
        }
        final int targetColumn = spec.target() == null ? -1 : table.column(spec.target());
        for (String named : union(spec.categorical(), spec.numeric(), spec.exclude())) {
            table.column(named);
        }
        final List<Integer> columns = new ArrayList<>();
        for (int column = 0; column < table.header().size(); column++) {
            if (column != targetColumn && !spec.exclude().contains(table.header().get(column))) {
                columns.add(column);
            }
        }
        final List<FeatureBaseline> features = new ArrayList<>();
        // A window keeps the first --max-features columns of a wider payload and summarises its rows: so does the baseline.
        for (int column : columns.subList(0, Math.min(columns.size(), Limits.DEFAULT_MAX_FEATURES))) {
            features.add(summarise(table, column));
        }
        if (columns.size() > Limits.DEFAULT_MAX_FEATURES) {
            final CsvTable summaries = rowSummaries(table, columns);
            for (int column = 0; column < summaries.header().size(); column++) {
                features.add(numeric(summaries, column, summaries.header().get(column)));
            }
        }
        return TrainingBaseline.newBuilder()
            .setDeployment(spec.deployment())
            .setModel(spec.model())
            .setModelVersion(spec.version())
            .setCreatedAt(createdAt)
            .setRowCount(table.size())
            .setSource(source)
            .setFeatures(features)
            .setTarget(targetColumn < 0 ? null : summarise(table, targetColumn))
            .build();
    }

    /** Each row's mean, standard deviation and L2 norm over its numeric cells, as {@link FeatureWindow} computes them. */
    private static CsvTable rowSummaries(final CsvTable table, final List<Integer> columns) {
        final List<String[]> rows = new ArrayList<>(table.size());
        for (int row = 0; row < table.size(); row++) {
            long count = 0;
            double sum = 0;
            double squares = 0;
            for (int column : columns) {
                final String cell = table.cell(row, column);
                final double value = ColumnKind.missing(cell) ? Double.NaN : ColumnKind.number(cell);
                if (Double.isFinite(value)) {
                    count++;
                    sum += value;
                    squares += value * value;
                }
            }
            final double mean = count == 0 ? Double.NaN : sum / count;
            rows.add(count == 0 ? new String[] {"", "", ""} : new String[] {Double.toString(mean),
                Double.toString(Math.sqrt(Math.max(0.0, squares / count - mean * mean))), Double.toString(Math.sqrt(squares))});
        }
        return CsvTable.of(FeatureWindow.ROW_SUMMARIES, rows);
    }

    private FeatureBaseline summarise(final CsvTable table, final int column) {
        final String name = table.header().get(column);
        final FeatureKind kind = spec.categorical().contains(name) ? FeatureKind.CATEGORICAL
            : spec.numeric().contains(name) ? FeatureKind.NUMERIC : ColumnKind.infer(table, column);
        return kind == FeatureKind.NUMERIC ? numeric(table, column, name) : categorical(table, column, name);
    }

    private FeatureBaseline numeric(final CsvTable table, final int column, final String name) {
        final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(spec.sketchK());
        final RunningMoments moments = new RunningMoments();
        final double[] values = new double[table.size()];
        int present = 0;
        for (int row = 0; row < table.size(); row++) {
            final String cell = table.cell(row, column);
            final double value = ColumnKind.missing(cell) ? Double.NaN : ColumnKind.number(cell);
            if (Double.isFinite(value)) {
                values[present++] = value;
                sketch.update(value);
                moments.add(value);
            }
        }
        final double[] sorted = Arrays.copyOf(values, present);
        Arrays.sort(sorted);
        final double[] edges = PopulationStabilityIndex.binEdges(sorted, spec.bins());
        return FeatureBaseline.newBuilder()
            .setName(name)
            .setKind(FeatureKind.NUMERIC)
            .setCount(present)
            .setMissingCount(table.size() - present)
            .setMin(present == 0 ? null : moments.min())
            .setMax(present == 0 ? null : moments.max())
            .setMean(present == 0 ? null : moments.mean())
            .setStddev(present < 2 ? null : Math.sqrt(moments.variance()))
            .setSketch(java.nio.ByteBuffer.wrap(sketch.toByteArray()))
            .setBinEdges(boxed(edges))
            .setBinProportions(boxed(PopulationStabilityIndex.proportions(PopulationStabilityIndex.counts(edges, sorted))))
            .build();
    }

    private FeatureBaseline categorical(final CsvTable table, final int column, final String name) {
        final Map<String, Long> counts = new HashMap<>();
        long present = 0;
        for (int row = 0; row < table.size(); row++) {
            final String cell = table.cell(row, column);
            if (!ColumnKind.missing(cell)) {
                counts.merge(cell, 1L, Long::sum);
                present++;
            }
        }
        final Map<String, Double> top = new LinkedHashMap<>();
        final long total = present;
        counts.entrySet().stream()
            // The pipeline counts categories longer than this as other: so does the baseline.
            .filter(entry -> entry.getKey().length() <= io.monitml.ingest.Limits.MAX_CATEGORY_LENGTH)
            .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
            .limit(spec.topCategories())
            .forEach(entry -> top.put(entry.getKey(), (double) entry.getValue() / total));
        final double kept = top.values().stream().mapToDouble(Double::doubleValue).sum();
        return FeatureBaseline.newBuilder()
            .setName(name)
            .setKind(FeatureKind.CATEGORICAL)
            .setCount(present)
            .setMissingCount(table.size() - present)
            .setCategories(top)
            .setOtherProportion(present == 0 ? 0.0 : Math.max(0.0, 1.0 - kept))
            .build();
    }

    private static List<Double> boxed(final double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    @SafeVarargs
    private static List<String> union(final java.util.Set<String>... sets) {
        final List<String> all = new ArrayList<>();
        for (java.util.Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }
}
