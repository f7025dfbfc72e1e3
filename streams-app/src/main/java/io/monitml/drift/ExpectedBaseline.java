package io.monitml.drift;

import java.util.List;

/**
 * A training baseline as drift reads it.
 *
 * @param modelVersion the model version the training data belongs to
 * @param rowCount     the training rows, of which the features' missing counts are a share
 * @param target       the baseline of the predictions (the target or prediction column), or null
 */
public record ExpectedBaseline(String modelVersion, long rowCount, List<ExpectedFeature> features, ExpectedFeature target) {

    public ExpectedBaseline {
        features = List.copyOf(features);
    }
}
