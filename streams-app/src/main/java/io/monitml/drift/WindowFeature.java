package io.monitml.drift;

import java.util.Map;

import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * What one window holds of one feature: its missing values, a KLL sketch of its numbers (null
 * when it had none) and the counts of its categories, the rest counted as other.
 */
public record WindowFeature(String name, long missing, KllDoublesSketch sketch, Map<String, Long> categories, long otherCategories) {

    public WindowFeature {
        categories = Map.copyOf(categories);
    }

    /** The numbers seen. */
    public long count() {
        return sketch == null ? 0 : sketch.getN();
    }
}
