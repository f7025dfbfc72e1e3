package io.monitml.drift;

import java.util.List;

/**
 * A closed window's drift against its unit's baseline.
 *
 * @param status             OK, WATCH, DRIFT, NO_BASELINE or INSUFFICIENT_DATA ({@link DriftCalculator})
 * @param baselineVersion    the baseline's model version, or null without one
 * @param correction         the multiple-testing correction across features
 * @param correctedThreshold the p-value below which a feature drifted, or null without a verdict
 */
public record DriftVerdict(String status, String baselineVersion, String correction, double alpha, Double correctedThreshold,
                           boolean driftDetected, List<FeatureComparison> features) {

    public DriftVerdict {
        features = List.copyOf(features);
    }
}
