package io.monitml.drift;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import io.monitml.stats.ChiSquare;
import io.monitml.stats.KolmogorovSmirnov;
import io.monitml.stats.MultipleTesting;
import io.monitml.stats.PopulationStabilityIndex;
import io.monitml.stats.Sketches;

/**
 * Compares one closed window's feature distributions with the unit's training baseline: per
 * numeric feature the two-sample KS test (D and SciPy's asymptotic p-value, from the sketches) and
 * PSI over the baseline's bins; per categorical feature the chi-square goodness of fit to the
 * baseline's proportions and PSI over the categories; p-values corrected across features.
 */
public final class DriftCalculator {

    public static final String OK = "OK";
    /** No feature drifted, and the PSI of one at least reached the watch level ({@code --psi-watch}). */
    public static final String WATCH = "WATCH";
    public static final String DRIFT = "DRIFT";
    public static final String NO_BASELINE = "NO_BASELINE";
    public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

    private final DriftSettings settings;

    public DriftCalculator(final DriftSettings settings) {
        this.settings = settings;
    }

    /**
     * @param rows     the window's request rows
     * @param features what the window holds of each feature, by name
     * @param baseline the unit's baseline, or null without one
     */
    public DriftVerdict report(final long rows, final Map<String, WindowFeature> features, final ExpectedBaseline baseline) {
        final String correction = settings.correction().name().toLowerCase(java.util.Locale.ROOT);
        if (baseline == null) {
            return new DriftVerdict(NO_BASELINE, null, correction, settings.alpha(), null, false, List.of());
        }
        final List<FeatureComparison> compared = new ArrayList<>();
        for (ExpectedFeature expected : baseline.features()) {
            final WindowFeature actual = features.get(expected.name());
            final FeatureComparison comparison = expected.categorical() ? categorical(expected, actual) : numeric(expected, actual);
            compared.add(comparison.withMissingRates(rate(actual == null ? 0 : actual.missing(), rows),
                rate(expected.missingCount(), baseline.rowCount())));
        }
        if (rows < settings.minRows()) {
            return new DriftVerdict(INSUFFICIENT_DATA, baseline.modelVersion(), correction, settings.alpha(), null, false,
                compared.stream().map(feature -> feature.withPValue(null)).toList());
        }
        final double[] pValues = compared.stream().mapToDouble(f -> f.pValue() == null ? 1.0 : f.pValue()).toArray();
        final MultipleTesting.Decision decision = MultipleTesting.decide(settings.correction(), pValues, settings.alpha());
        boolean anyDrift = false;
        boolean anyWatched = false;
        final List<FeatureComparison> decided = new ArrayList<>(compared.size());
        for (int i = 0; i < compared.size(); i++) {
            final FeatureComparison feature = compared.get(i);
            final boolean drifted = decision.rejected()[i] || feature.psi() != null && feature.psi() >= settings.psiAct();
            final boolean watched = !drifted && feature.psi() != null && feature.psi() >= settings.psiWatch();
            decided.add(feature.withVerdict(drifted, watched));
            anyDrift |= drifted;
            anyWatched |= watched;
        }
        return new DriftVerdict(anyDrift ? DRIFT : anyWatched ? WATCH : OK, baseline.modelVersion(), correction, settings.alpha(),
            decision.threshold(), anyDrift, decided);
    }

    /**
     * The predictions of a closed window against the baseline's prediction (or target) column,
     * flagged when the KS p-value is below alpha (one test: no correction) or PSI reaches the act threshold.
     */
    public FeatureComparison predictionDrift(final ExpectedFeature target, final ByteBuffer sketch, final long count) {
        final WindowFeature predictions = new WindowFeature(target.name(), 0, sketch == null ? null : Sketches.heapify(sketch),
            Map.of(), 0);
        final FeatureComparison drift = numeric(target, predictions);
        final boolean enough = count >= settings.minRows();
        final boolean drifted = enough && (drift.pValue() != null && drift.pValue() < settings.alpha()
            || drift.psi() != null && drift.psi() >= settings.psiAct());
        return drift.withVerdict(drifted, enough && !drifted && drift.psi() != null && drift.psi() >= settings.psiWatch());
    }

    private static FeatureComparison numeric(final ExpectedFeature expected, final WindowFeature actual) {
        final long count = actual == null ? 0 : actual.count();
        final long missing = actual == null ? 0 : actual.missing();
        if (actual == null || actual.sketch() == null || count == 0 || expected.sketch() == null) {
            return new FeatureComparison(expected.name(), false, count, missing, "ks", null, null, null, null, null, null, false, false,
                expected.binEdges(), List.of(), expected.binProportions(), List.of());
        }
        final KllDoublesSketch current = actual.sketch();
        final KolmogorovSmirnov.Result ks = KolmogorovSmirnov.test(Sketches.heapify(expected.sketch()), current);
        final double[] edges = expected.binEdges().stream().mapToDouble(Double::doubleValue).toArray();
        final double[] proportions = edges.length == 0 ? new double[] {1.0} : binProportions(current, edges);
        final double[] baselineProportions = expected.binProportions().stream().mapToDouble(Double::doubleValue).toArray();
        return new FeatureComparison(expected.name(), false, count, missing, "ks", ks.statistic(), ks.pValue(), ks.statisticError(),
            null, null, PopulationStabilityIndex.psiOfProportions(baselineProportions, proportions, PopulationStabilityIndex.DEFAULT_EPSILON),
            false, false, expected.binEdges(), List.of(), expected.binProportions(), boxed(proportions));
    }

    /** The window's share of each bin (-inf, e1], ..., (ek, +inf), from its sketch's CDF at the edges. */
    private static double[] binProportions(final KllDoublesSketch sketch, final double[] edges) {
        final double[] cdf = sketch.getCDF(edges, QuantileSearchCriteria.INCLUSIVE);
        final double[] proportions = new double[cdf.length];
        double previous = 0.0;
        for (int i = 0; i < cdf.length; i++) {
            proportions[i] = Math.max(0.0, cdf[i] - previous);
            previous = cdf[i];
        }
        return proportions;
    }

    private static FeatureComparison categorical(final ExpectedFeature expected, final WindowFeature actual) {
        final List<String> categories = new ArrayList<>(expected.categories().keySet());
        final double[] baselineProportions = new double[categories.size() + 1];
        for (int i = 0; i < categories.size(); i++) {
            baselineProportions[i] = expected.categories().get(categories.get(i));
        }
        baselineProportions[categories.size()] = expected.otherProportion();
        final long[] observed = new long[categories.size() + 1];
        long total = 0;
        if (actual != null) {
            for (Map.Entry<String, Long> entry : actual.categories().entrySet()) {
                final int index = categories.indexOf(entry.getKey());
                observed[index < 0 ? categories.size() : index] += entry.getValue();
                total += entry.getValue();
            }
            // Categories the window did not keep one by one are none of the baseline's: they are other.
            observed[categories.size()] += actual.otherCategories();
            total += actual.otherCategories();
        }
        final long missing = actual == null ? 0 : actual.missing();
        if (total == 0) {
            return new FeatureComparison(expected.name(), true, total, missing, "chi2", null, null, null, null, null, null, false, false,
                List.of(), categories, boxed(baselineProportions), List.of());
        }
        final ChiSquare.Result chi2 = ChiSquare.goodnessOfFit(observed, baselineProportions);
        final double[] current = PopulationStabilityIndex.proportions(observed);
        return new FeatureComparison(expected.name(), true, total, missing, "chi2", chi2.statistic(), chi2.pValue(), null, null, null,
            PopulationStabilityIndex.psiOfProportions(baselineProportions, current, PopulationStabilityIndex.DEFAULT_EPSILON), false,
            false, List.of(), categories, boxed(baselineProportions), boxed(current));
    }

    private static Double rate(final long part, final long whole) {
        return whole == 0 ? null : (double) part / whole;
    }


    private static List<Double> boxed(final double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
