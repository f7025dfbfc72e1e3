package io.monitml.topology;

import java.time.Instant;

import org.apache.kafka.streams.kstream.Window;

import io.monitml.avro.PredictionPartial;
import io.monitml.avro.PredictionStats;
import io.monitml.stats.RunningMoments;

/** Turns the merged partial of a closed window into the published statistics. */
final class PredictionStatsMapper {

    private PredictionStatsMapper() {
    }

    static PredictionStats toStats(final Window window, final PredictionPartial merged) {
        final RunningMoments moments = PredictionPartials.moments(merged);
        return PredictionStats.newBuilder()
            .setUnit(merged.getUnit())
            .setWindowStart(Instant.ofEpochMilli(window.start()))
            .setWindowEnd(Instant.ofEpochMilli(window.end()))
            .setOutput(merged.getOutput())
            .setResponses(merged.getResponses())
            .setCount(moments.count())
            .setErrorCount(merged.getErrorCount())
            .setMin(orNull(moments.min()))
            .setMax(orNull(moments.max()))
            .setMean(orNull(moments.mean()))
            .setVariance(orNull(moments.variance()))
            .build();
    }

    private static Double orNull(final double value) {
        return Double.isNaN(value) ? null : value;
    }
}
