package io.monitml.compare;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.monitml.avro.FeatureKind;
import io.monitml.baseline.BaselineSpec;
import io.monitml.baseline.CategoryCounts;
import io.monitml.baseline.Cells;
import io.monitml.baseline.NumericColumn;
import io.monitml.baseline.Table;
import io.monitml.baseline.TableScan;
import io.monitml.stats.ChiSquare;
import io.monitml.stats.Correction;
import io.monitml.stats.KolmogorovSmirnov;
import io.monitml.stats.MultipleTesting;
import io.monitml.stats.PopulationStabilityIndex;

/**
 * Compares two data sets column by column with the statistics the pipeline uses: two-sample KS
 * and PSI over the reference's quantile bins for numeric columns, chi-square and PSI over the
 * categories for categorical ones, with the p-values corrected across columns. Each table is read
 * in passes, one row at a time ({@link NumericColumn} says when KS runs on the sketches instead).
 */
public final class DatasetComparison {

    /**
     * @param alpha        the family-wise (Bonferroni) or false-discovery (FDR) rate
     * @param psiThreshold PSI at or above which a column counts as drifted (0.25: "act")
     */
    public record Settings(Set<String> categorical, Set<String> exclude, Correction correction, double alpha, double psiThreshold,
                           int bins) {
    }

    /** The columns, and the p-value threshold the correction arrived at. */
    public record Result(List<ColumnDrift> columns, Correction correction, double threshold) {
    }

    private DatasetComparison() {
    }

    public static Result compare(final Table reference, final Table current, final Settings settings) throws IOException {
        final TableScan referenceScan = TableScan.of(reference);
        final TableScan currentScan = TableScan.of(current);
        final List<String> names = new ArrayList<>();
        final Set<String> categorical = new HashSet<>();
        for (String name : reference.header()) {
            if (settings.exclude().contains(name) || !current.header().contains(name)) {
                continue;
            }
            names.add(name);
            if (settings.categorical().contains(name) || !referenceScan.numeric()[reference.column(name)]
                || !currentScan.numeric()[current.column(name)]) {
                categorical.add(name);
            }
        }
        final long numeric = names.size() - categorical.size();
        final boolean hold = NumericColumn.holdable((referenceScan.rows() + currentScan.rows()) * numeric);
        final Columns ref = Columns.read(reference, referenceScan.rows(), names, categorical, hold);
        final Columns cur = Columns.read(current, currentScan.rows(), names, categorical, hold);
        final Map<String, double[]> edges = new LinkedHashMap<>();
        ref.numeric().forEach((name, values) -> edges.put(name, values.binEdges(settings.bins())));
        final Map<String, long[]> refCounts = ref.counts(reference, edges);
        final Map<String, long[]> curCounts = cur.counts(current, edges);

        final List<Partial> partials = new ArrayList<>();
        for (String name : names) {
            partials.add(categorical.contains(name) ? categorical(name, ref.categorical().get(name), cur.categorical().get(name))
                : numeric(name, ref.numeric().get(name), cur.numeric().get(name), refCounts.get(name), curCounts.get(name)));
        }
        final double[] pValues = partials.stream().mapToDouble(Partial::pValue).toArray();
        final MultipleTesting.Decision decision = MultipleTesting.decide(settings.correction(), pValues, settings.alpha());
        final boolean[] significant = decision.rejected();
        final double threshold = decision.threshold();
        final List<ColumnDrift> columns = new ArrayList<>();
        for (int i = 0; i < partials.size(); i++) {
            final Partial partial = partials.get(i);
            columns.add(new ColumnDrift(partial.name(), partial.kind(), partial.refPresent(), partial.curPresent(),
                partial.refMissing(), partial.curMissing(), partial.test(), partial.statistic(), partial.pValue(), partial.psi(),
                significant[i] || partial.psi() >= settings.psiThreshold()));
        }
        return new Result(columns, settings.correction(), threshold);
    }

    /** KS on the values when both sides held them, else on their sketches; PSI over the reference's quantile bins. */
    private static Partial numeric(final String name, final NumericColumn ref, final NumericColumn cur, final long[] refCounts,
                                   final long[] curCounts) {
        if (ref.present() == 0 || cur.present() == 0) {
            return new Partial(name, FeatureKind.NUMERIC, ref.present(), cur.present(), ref.missing(), cur.missing(), "ks", Double.NaN,
                1.0, Double.NaN);
        }
        final KolmogorovSmirnov.Result ks = ref.held() && cur.held() ? KolmogorovSmirnov.test(ref.sorted(), cur.sorted())
            : KolmogorovSmirnov.test(ref.sketch(), cur.sketch());
        // On sketches, D is known within their rank errors: only what lies beyond them is evidence of drift.
        final double pValue = ks.statisticError() == 0 ? ks.pValue()
            : KolmogorovSmirnov.pValue(Math.max(0.0, ks.statistic() - ks.statisticError()), ks.n(), ks.m());
        return new Partial(name, FeatureKind.NUMERIC, ref.present(), cur.present(), ref.missing(), cur.missing(), "ks",
            ks.statistic(), pValue, PopulationStabilityIndex.psi(refCounts, curCounts));
    }

    private static Partial categorical(final String name, final CategoryCounts ref, final CategoryCounts cur) {
        final Map<String, long[]> counts = new LinkedHashMap<>();
        ref.counts().forEach((value, count) -> counts.computeIfAbsent(value, v -> new long[2])[0] = count);
        cur.counts().forEach((value, count) -> counts.computeIfAbsent(value, v -> new long[2])[1] = count);
        final long[] expected = counts.values().stream().mapToLong(c -> c[0]).toArray();
        final long[] actual = counts.values().stream().mapToLong(c -> c[1]).toArray();
        if (ref.present() == 0 || cur.present() == 0) {
            return new Partial(name, FeatureKind.CATEGORICAL, ref.present(), cur.present(), ref.missing(), cur.missing(), "chi2",
                Double.NaN, 1.0, Double.NaN);
        }
        final ChiSquare.Result chi2 = ChiSquare.twoSample(expected, actual);
        return new Partial(name, FeatureKind.CATEGORICAL, ref.present(), cur.present(), ref.missing(), cur.missing(), "chi2",
            chi2.statistic(), chi2.pValue(), PopulationStabilityIndex.psi(expected, actual));
    }

    private record Partial(String name, FeatureKind kind, long refPresent, long curPresent, long refMissing, long curMissing,
                           String test, double statistic, double pValue, double psi) {
    }

    /** One table's compared columns, summarised in one pass. */
    private record Columns(Map<String, NumericColumn> numeric, Map<String, CategoryCounts> categorical) {

        static Columns read(final Table table, final long rows, final List<String> names, final Set<String> categorical,
                            final boolean hold) throws IOException {
            final Map<String, NumericColumn> numeric = new LinkedHashMap<>();
            final Map<String, CategoryCounts> counts = new LinkedHashMap<>();
            final Map<Integer, NumericColumn> numericAt = new LinkedHashMap<>();
            final Map<Integer, CategoryCounts> countsAt = new LinkedHashMap<>();
            for (String name : names) {
                if (categorical.contains(name)) {
                    countsAt.put(table.column(name), counts.computeIfAbsent(name, n -> new CategoryCounts()));
                } else {
                    numericAt.put(table.column(name), numeric.computeIfAbsent(name,
                        n -> new NumericColumn(BaselineSpec.DEFAULT_SKETCH_K, rows, hold)));
                }
            }
            table.forEachRow(row -> {
                numericAt.forEach((column, values) -> values.add(Cells.number(row[column])));
                countsAt.forEach((column, values) -> values.add(row[column]));
            });
            return new Columns(numeric, counts);
        }

        /** The values per bin of these edges: from the held values, or by another pass when they were not held. */
        Map<String, long[]> counts(final Table table, final Map<String, double[]> edges) throws IOException {
            final Map<String, long[]> counts = new LinkedHashMap<>();
            final Map<Integer, NumericColumn.BinCounts> pass = new LinkedHashMap<>();
            final Map<String, NumericColumn.BinCounts> byName = new LinkedHashMap<>();
            numeric.forEach((name, values) -> {
                final long[] held = values.counts(edges.get(name));
                if (held != null) {
                    counts.put(name, held);
                } else {
                    final NumericColumn.BinCounts bins = new NumericColumn.BinCounts(edges.get(name));
                    pass.put(table.column(name), bins);
                    byName.put(name, bins);
                }
            });
            if (!pass.isEmpty()) {
                table.forEachRow(row -> pass.forEach((column, bins) -> bins.add(Cells.number(row[column]))));
                byName.forEach((name, bins) -> counts.put(name, bins.counts()));
            }
            return counts;
        }
    }
}
