package io.monitml.topology;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.ObjLongConsumer;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.kafka.streams.kstream.Window;

import io.monitml.aggregate.PredictionSummary;
import io.monitml.aggregate.PredictionWindow;
import io.monitml.avro.PredictionPartial;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.Unit;
import io.monitml.stats.RunningMoments;
import io.monitml.stats.Sketches;

/**
 * Prediction windows to and from the partials that cross the repartition and fill the stores, and
 * a window's statistics as the topic's record: of a closed window for the topic, of an open one for
 * live queries.
 */
public final class PredictionRecords {

    /** How the merging stage merges partials; a partial holds its responses, or a latency partial its inferences. */
    static final WindowMerger.Partials<PredictionPartial> MERGING = new WindowMerger.Partials<>() {
        @Override
        public long windowStart(final PredictionPartial partial) {
            return partial.getWindowStart().toEpochMilli();
        }

        @Override
        public PredictionPartial merge(final PredictionPartial aggregate, final PredictionPartial partial) {
            // The first partial of a window becomes its aggregate; each was just deserialized, so nothing else holds it.
            if (aggregate == null) {
                return partial;
            }
            final PredictionWindow window = toWindow(aggregate);
            window.merge(toWindow(partial));
            return toAvro(window);
        }

        @Override
        public void records(final PredictionPartial partial, final ObjLongConsumer<String> byAggregation) {
            if (partial.getResponses() > 0) {
                byAggregation.accept(PipelineListener.PREDICTION_STATISTICS, partial.getResponses());
            } else if (partial.getLatencySketch() != null) {
                byAggregation.accept(PipelineListener.LATENCY, Sketches.heapify(partial.getLatencySketch()).getN());
            }
        }
    };

    private PredictionRecords() {
    }

    public static PredictionPartial toAvro(final PredictionWindow window) {
        final RunningMoments moments = window.moments();
        return PredictionPartial.newBuilder()
            .setUnit(window.unit().toAvro())
            .setWindowStart(Instant.ofEpochMilli(window.windowStart()))
            .setLastEventTime(Instant.ofEpochMilli(window.lastEventTime()))
            .setOutput(window.output())
            .setResponses(window.responses())
            .setCount(moments.count())
            .setErrorCount(window.errorCount())
            .setMin(moments.min())
            .setMax(moments.max())
            .setMean(moments.count() == 0 ? 0.0 : moments.mean())
            .setM2(moments.m2())
            .setSketch(serialize(window.predictions()))
            .setLatencySketch(serialize(window.latencies()))
            .build();
    }

    public static PredictionWindow toWindow(final PredictionPartial partial) {
        return new PredictionWindow(Unit.fromAvro(partial.getUnit()), partial.getWindowStart().toEpochMilli(),
            partial.getLastEventTime().toEpochMilli(), partial.getOutput(), partial.getResponses(), partial.getErrorCount(),
            RunningMoments.of(partial.getCount(), partial.getMean(), partial.getM2(), partial.getMin(), partial.getMax()),
            heapify(partial.getSketch()), heapify(partial.getLatencySketch()));
    }

    static PredictionStats toStats(final Window window, final PredictionPartial merged) {
        return toStats(window.start(), window.end(), merged);
    }

    public static PredictionStats toStats(final long windowStart, final long windowEnd, final PredictionPartial merged) {
        final PredictionSummary summary = toWindow(merged).summary();
        return PredictionStats.newBuilder()
            .setUnit(merged.getUnit())
            .setWindowStart(Instant.ofEpochMilli(windowStart))
            .setWindowEnd(Instant.ofEpochMilli(windowEnd))
            .setOutput(summary.output())
            .setResponses(summary.responses())
            .setCount(summary.count())
            .setErrorCount(summary.errorCount())
            .setMin(summary.min())
            .setMax(summary.max())
            .setMean(summary.mean())
            .setVariance(summary.variance())
            .setP50(summary.p50())
            .setP90(summary.p90())
            .setP99(summary.p99())
            .setLatencyP50Millis(summary.latencyP50Millis())
            .setLatencyP90Millis(summary.latencyP90Millis())
            .setLatencyP99Millis(summary.latencyP99Millis())
            .build();
    }

    /** The key downstream: the partial's unit. */
    static String unitKey(final PredictionPartial partial) {
        return Unit.fromAvro(partial.getUnit()).key();
    }

    private static KllDoublesSketch heapify(final ByteBuffer bytes) {
        return bytes == null ? null : Sketches.heapify(bytes);
    }

    private static ByteBuffer serialize(final KllDoublesSketch sketch) {
        return sketch.isEmpty() ? null : ByteBuffer.wrap(sketch.toByteArray());
    }
}
