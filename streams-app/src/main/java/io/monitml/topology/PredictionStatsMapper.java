package io.monitml.topology;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.kafka.streams.kstream.Window;

import io.monitml.avro.PredictionPartial;
import io.monitml.avro.PredictionStats;
import io.monitml.stats.RunningMoments;
import io.monitml.stats.Sketches;

/** Turns the merged partial of a window into its statistics: of a closed window for the topic, of an open one for live queries. */
public final class PredictionStatsMapper {

    private PredictionStatsMapper() {
    }

    static PredictionStats toStats(final Window window, final PredictionPartial merged) {
        return toStats(window.start(), window.end(), merged);
    }

    public static PredictionStats toStats(final long windowStart, final long windowEnd, final PredictionPartial merged) {
        final RunningMoments moments = PredictionPartials.moments(merged);
        return PredictionStats.newBuilder()
            .setUnit(merged.getUnit())
            .setWindowStart(Instant.ofEpochMilli(windowStart))
            .setWindowEnd(Instant.ofEpochMilli(windowEnd))
            .setOutput(merged.getOutput())
            .setResponses(merged.getResponses())
            .setCount(moments.count())
            .setErrorCount(merged.getErrorCount())
            .setMin(orNull(moments.min()))
            .setMax(orNull(moments.max()))
            .setMean(orNull(moments.mean()))
            .setVariance(orNull(moments.variance()))
            .setP50(quantile(merged.getSketch(), 0.5))
            .setP90(quantile(merged.getSketch(), 0.9))
            .setP99(quantile(merged.getSketch(), 0.99))
            .setLatencyP50Millis(quantile(merged.getLatencySketch(), 0.5))
            .setLatencyP90Millis(quantile(merged.getLatencySketch(), 0.9))
            .setLatencyP99Millis(quantile(merged.getLatencySketch(), 0.99))
            .build();
    }

    /** From the KLL sketch: exact while it holds every prediction, else within its rank error (about 1.6%). */
    private static Double quantile(final ByteBuffer serialized, final double rank) {
        if (serialized == null) {
            return null;
        }
        final KllDoublesSketch sketch = Sketches.heapify(serialized);
        return sketch.isEmpty() ? null : sketch.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
    }

    private static Double orNull(final double value) {
        return Double.isNaN(value) ? null : value;
    }
}
