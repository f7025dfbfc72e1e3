package io.monitml.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.monitml.avro.FeatureKind;
import io.monitml.baseline.CsvTable;
import io.monitml.stats.ChiSquare;
import io.monitml.stats.Correction;
import io.monitml.stats.KolmogorovSmirnov;
import io.monitml.stats.MultipleTesting;
import io.monitml.stats.PopulationStabilityIndex;

/**
 * Compares two data sets column by column with the statistics the pipeline uses: two-sample KS
 * and PSI over the reference's quantile bins for numeric columns, chi-square and PSI over the
 * categories for categorical ones, with the p-values corrected across columns.
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

    public static Result compare(final CsvTable reference, final CsvTable current, final Settings settings) {
        final List<Partial> partials = new ArrayList<>();
        for (String name : reference.header()) {
            if (settings.exclude().contains(name) || !current.header().contains(name)) {
                continue;
            }
            final Column ref = Column.of(reference, reference.column(name));
            final Column cur = Column.of(current, current.column(name));
            final boolean categorical = settings.categorical().contains(name) || !ref.numeric() || !cur.numeric();
            partials.add(categorical ? categorical(name, ref, cur) : numeric(name, ref, cur, settings.bins()));
        }
        final double[] pValues = partials.stream().mapToDouble(Partial::pValue).toArray();
        final MultipleTesting.Decision decision = MultipleTesting.decide(settings.correction(), pValues, settings.alpha());
        final boolean[] significant = decision.rejected();
        final double threshold = decision.threshold();
        final List<ColumnDrift> columns = new ArrayList<>();
        for (int i = 0; i < partials.size(); i++) {
            final Partial partial = partials.get(i);
            columns.add(new ColumnDrift(partial.name(), partial.kind(), partial.ref().present(), partial.cur().present(),
                partial.ref().missing(), partial.cur().missing(), partial.test(), partial.statistic(), partial.pValue(), partial.psi(),
                significant[i] || partial.psi() >= settings.psiThreshold()));
        }
        return new Result(columns, settings.correction(), threshold);
    }

    private static Partial numeric(final String name, final Column ref, final Column cur, final int bins) {
        if (ref.numbers().length == 0 || cur.numbers().length == 0) {
            return new Partial(name, FeatureKind.NUMERIC, ref, cur, "ks", Double.NaN, 1.0, Double.NaN);
        }
        final KolmogorovSmirnov.Result ks = KolmogorovSmirnov.test(ref.numbers(), cur.numbers());
        final double[] sorted = ref.numbers().clone();
        Arrays.sort(sorted);
        final double[] edges = PopulationStabilityIndex.binEdges(sorted, bins);
        final double psi = PopulationStabilityIndex.psi(PopulationStabilityIndex.counts(edges, ref.numbers()),
            PopulationStabilityIndex.counts(edges, cur.numbers()));
        return new Partial(name, FeatureKind.NUMERIC, ref, cur, "ks", ks.statistic(), ks.pValue(), psi);
    }

    private static Partial categorical(final String name, final Column ref, final Column cur) {
        final Map<String, long[]> counts = new LinkedHashMap<>();
        ref.texts().forEach(value -> counts.computeIfAbsent(value, v -> new long[2])[0]++);
        cur.texts().forEach(value -> counts.computeIfAbsent(value, v -> new long[2])[1]++);
        final long[] expected = counts.values().stream().mapToLong(c -> c[0]).toArray();
        final long[] actual = counts.values().stream().mapToLong(c -> c[1]).toArray();
        if (ref.present() == 0 || cur.present() == 0) {
            return new Partial(name, FeatureKind.CATEGORICAL, ref, cur, "chi2", Double.NaN, 1.0, Double.NaN);
        }
        final ChiSquare.Result chi2 = ChiSquare.twoSample(expected, actual);
        return new Partial(name, FeatureKind.CATEGORICAL, ref, cur, "chi2", chi2.statistic(), chi2.pValue(),
            PopulationStabilityIndex.psi(expected, actual));
    }

    private record Partial(String name, FeatureKind kind, Column ref, Column cur, String test, double statistic, double pValue,
                           double psi) {
    }

    /** One column's present values, as numbers when every present value is one, and as text. */
    private record Column(double[] numbers, List<String> texts, boolean numeric, long missing) {

        long present() {
            return texts.size();
        }

        static Column of(final CsvTable table, final int column) {
            final List<String> texts = new ArrayList<>(table.size());
            final double[] numbers = new double[table.size()];
            boolean numeric = true;
            long missing = 0;
            for (int row = 0; row < table.size(); row++) {
                final String cell = table.cell(row, column);
                if (CsvTable.missing(cell)) {
                    missing++;
                    continue;
                }
                final double value = CsvTable.number(cell);
                numeric &= Double.isFinite(value);
                numbers[texts.size()] = value;
                texts.add(cell);
            }
            return new Column(Arrays.copyOf(numbers, texts.size()), texts, numeric, missing);
        }
    }
}
