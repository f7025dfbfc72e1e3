package io.monitml.drift;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import io.monitml.avro.DriftReport;
import io.monitml.avro.FeatureBaseline;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.FeaturePartial;
import io.monitml.avro.FeatureSummary;
import io.monitml.avro.TrainingBaseline;
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
    public static final String DRIFT = "DRIFT";
    public static final String NO_BASELINE = "NO_BASELINE";
    public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

    private final DriftSettings settings;

    public DriftCalculator(final DriftSettings settings) {
        this.settings = settings;
    }

    public DriftReport report(final FeaturePartial window, final Instant windowStart, final Instant windowEnd,
                              final TrainingBaseline baseline) {
        final DriftReport.Builder report = DriftReport.newBuilder()
            .setUnit(window.getUnit())
            .setWindowStart(windowStart)
            .setWindowEnd(windowEnd)
            .setRows(window.getRows())
            .setDroppedFeatures(window.getDroppedFeatures())
            .setDroppedFeatureNames(window.getDroppedFeatureNames())
            .setCorrection(settings.correction().name().toLowerCase(java.util.Locale.ROOT))
            .setAlpha(settings.alpha());
        if (baseline == null) {
            return report.setStatus(NO_BASELINE).setFeatures(List.of()).build();
        }
        report.setBaselineVersion(baseline.getModelVersion());
        final Map<String, FeatureSummary> summaries = new HashMap<>();
        window.getFeatures().forEach(summary -> summaries.put(summary.getName(), summary));
        final List<FeatureDrift> features = new ArrayList<>();
        for (FeatureBaseline expected : baseline.getFeatures()) {
            final FeatureSummary actual = summaries.get(expected.getName());
            final FeatureDrift drift = expected.getKind() == FeatureKind.CATEGORICAL ? categorical(expected, actual) : numeric(expected, actual);
            drift.setMissingRate(rate(actual == null ? 0 : actual.getMissing(), window.getRows()));
            drift.setBaselineMissingRate(rate(expected.getMissingCount(), baseline.getRowCount()));
            features.add(drift);
        }
        if (window.getRows() < settings.minRows()) {
            features.forEach(feature -> feature.setPValue(null));
            return report.setStatus(INSUFFICIENT_DATA).setFeatures(features).build();
        }
        final double[] pValues = features.stream().mapToDouble(f -> f.getPValue() == null ? 1.0 : f.getPValue()).toArray();
        final MultipleTesting.Decision decision = MultipleTesting.decide(settings.correction(), pValues, settings.alpha());
        boolean anyDrift = false;
        for (int i = 0; i < features.size(); i++) {
            final FeatureDrift feature = features.get(i);
            final boolean drifted = decision.rejected()[i] || feature.getPsi() != null && feature.getPsi() >= settings.psiAct();
            feature.setDrifted(drifted);
            anyDrift |= drifted;
        }
        return report.setStatus(anyDrift ? DRIFT : OK)
            .setCorrectedThreshold(decision.threshold())
            .setDriftDetected(anyDrift)
            .setFeatures(features)
            .build();
    }

    /**
     * The predictions of a closed window against the baseline's prediction (or target) column,
     * flagged when the KS p-value is below alpha (one test: no correction) or PSI reaches the act threshold.
     */
    public FeatureDrift predictionDrift(final FeatureBaseline target, final ByteBuffer sketch, final long count) {
        final FeatureSummary predictions = FeatureSummary.newBuilder().setName(target.getName()).setCount(count).setMissing(0)
            .setSketch(sketch).setCategories(Map.of()).build();
        final FeatureDrift drift = numeric(target, predictions);
        drift.setDrifted(count >= settings.minRows() && (drift.getPValue() != null && drift.getPValue() < settings.alpha()
            || drift.getPsi() != null && drift.getPsi() >= settings.psiAct()));
        return drift;
    }

    private static FeatureDrift numeric(final FeatureBaseline expected, final FeatureSummary actual) {
        final FeatureDrift.Builder drift = FeatureDrift.newBuilder()
            .setName(expected.getName()).setKind(FeatureKind.NUMERIC).setTest("ks")
            .setCount(actual == null ? 0 : actual.getCount()).setMissingCount(actual == null ? 0 : actual.getMissing())
            .setBinEdges(expected.getBinEdges()).setBaselineProportions(expected.getBinProportions());
        if (actual == null || actual.getSketch() == null || actual.getCount() == 0 || expected.getSketch() == null) {
            return drift.build();
        }
        final KllDoublesSketch current = Sketches.heapify(actual.getSketch());
        final KolmogorovSmirnov.Result ks = KolmogorovSmirnov.test(Sketches.heapify(expected.getSketch()), current);
        final double[] edges = expected.getBinEdges().stream().mapToDouble(Double::doubleValue).toArray();
        final double[] proportions = edges.length == 0 ? new double[] {1.0} : binProportions(current, edges);
        final double[] baselineProportions = expected.getBinProportions().stream().mapToDouble(Double::doubleValue).toArray();
        return drift.setStatistic(ks.statistic()).setPValue(ks.pValue()).setStatisticError(ks.statisticError())
            .setPsi(PopulationStabilityIndex.psiOfProportions(baselineProportions, proportions, PopulationStabilityIndex.DEFAULT_EPSILON))
            .setCurrentProportions(boxed(proportions))
            .build();
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

    private static FeatureDrift categorical(final FeatureBaseline expected, final FeatureSummary actual) {
        final List<String> categories = new ArrayList<>(expected.getCategories().keySet());
        final double[] baselineProportions = new double[categories.size() + 1];
        for (int i = 0; i < categories.size(); i++) {
            baselineProportions[i] = expected.getCategories().get(categories.get(i));
        }
        baselineProportions[categories.size()] = expected.getOtherProportion();
        final long[] observed = new long[categories.size() + 1];
        long total = 0;
        if (actual != null) {
            for (Map.Entry<String, Long> entry : actual.getCategories().entrySet()) {
                final int index = categories.indexOf(entry.getKey());
                observed[index < 0 ? categories.size() : index] += entry.getValue();
                total += entry.getValue();
            }
            // Categories the window did not keep one by one are none of the baseline's: they are other.
            observed[categories.size()] += actual.getOtherCategories();
            total += actual.getOtherCategories();
        }
        final FeatureDrift.Builder drift = FeatureDrift.newBuilder()
            .setName(expected.getName()).setKind(FeatureKind.CATEGORICAL).setTest("chi2")
            .setCount(total).setMissingCount(actual == null ? 0 : actual.getMissing())
            .setCategories(categories)
            .setBaselineProportions(boxed(baselineProportions));
        if (total == 0) {
            return drift.build();
        }
        final ChiSquare.Result chi2 = ChiSquare.goodnessOfFit(observed, baselineProportions);
        final double[] current = PopulationStabilityIndex.proportions(observed);
        return drift.setStatistic(chi2.statistic()).setPValue(chi2.pValue())
            .setPsi(PopulationStabilityIndex.psiOfProportions(baselineProportions, current, PopulationStabilityIndex.DEFAULT_EPSILON))
            .setCurrentProportions(boxed(current))
            .build();
    }

    private static Double rate(final long part, final long whole) {
        return whole == 0 ? null : (double) part / whole;
    }


    private static List<Double> boxed(final double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
