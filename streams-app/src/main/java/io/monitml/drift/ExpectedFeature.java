package io.monitml.drift;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * What a training baseline expects of one feature, as a window is compared with it.
 *
 * @param sketch         the serialized KLL sketch of the training values (numeric), or null
 * @param binEdges       PSI's bin edges (numeric), ascending
 * @param binProportions the training share of each bin, one more than the edges
 * @param categories     the training share of each kept category (categorical), in the baseline's order
 * @param otherProportion the training share of the categories not kept
 */
public record ExpectedFeature(String name, boolean categorical, long missingCount, ByteBuffer sketch, List<Double> binEdges,
                              List<Double> binProportions, Map<String, Double> categories, double otherProportion) {
}
