package io.monitml.drift;

import java.util.List;

/**
 * How one feature of a window compares with its baseline.
 *
 * @param test           ks (numeric) or chi2 (categorical)
 * @param statistic      KS D or the chi-square statistic; null when there was nothing to compare
 * @param pValue         null when there was nothing to compare, or too few rows for a verdict
 * @param statisticError the bound on D's error from the sketches (numeric)
 * @param drifted        the test rejected it (after correction) or its PSI reached the act level
 * @param watched        not drifted, and its PSI reached the watch level: worth a look, not an alarm
 * @param categories     the baseline's categories, in the order of the proportions (categorical)
 */
public record FeatureComparison(String name, boolean categorical, long count, long missingCount, String test, Double statistic,
                                Double pValue, Double statisticError, Double missingRate, Double baselineMissingRate, Double psi,
                                boolean drifted, boolean watched, List<Double> binEdges, List<String> categories, List<Double> baselineProportions,
                                List<Double> currentProportions) {

    public FeatureComparison {
        binEdges = List.copyOf(binEdges);
        categories = List.copyOf(categories);
        baselineProportions = List.copyOf(baselineProportions);
        currentProportions = List.copyOf(currentProportions);
    }

    FeatureComparison withMissingRates(final Double window, final Double baseline) {
        return new FeatureComparison(name, categorical, count, missingCount, test, statistic, pValue, statisticError, window, baseline,
            psi, drifted, watched, binEdges, categories, baselineProportions, currentProportions);
    }

    FeatureComparison withPValue(final Double value) {
        return new FeatureComparison(name, categorical, count, missingCount, test, statistic, value, statisticError, missingRate,
            baselineMissingRate, psi, drifted, watched, binEdges, categories, baselineProportions, currentProportions);
    }

    FeatureComparison withVerdict(final boolean isDrifted, final boolean isWatched) {
        return new FeatureComparison(name, categorical, count, missingCount, test, statistic, pValue, statisticError, missingRate,
            baselineMissingRate, psi, isDrifted, isWatched, binEdges, categories, baselineProportions, currentProportions);
    }
}
