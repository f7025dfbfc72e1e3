package io.monitml.demo;

import java.util.Objects;

/**
 * How drift changes one feature: {@code x -> x * scale + offset}.
 *
 * @param feature a column name of the data set
 */
public record FeatureShift(String feature, double scale, double offset) {

    public FeatureShift {
        Objects.requireNonNull(feature, "feature");
        if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("scale and offset must be finite for " + feature);
        }
    }

    /** Adds a constant, e.g. more rooms per dwelling. */
    public static FeatureShift add(String feature, double offset) {
        return new FeatureShift(feature, 1.0, offset);
    }

    /** Multiplies by a factor, e.g. a larger share of lower-status population. */
    public static FeatureShift multiply(String feature, double factor) {
        return new FeatureShift(feature, factor, 0.0);
    }

    public double apply(double value) {
        return value * scale + offset;
    }
}
