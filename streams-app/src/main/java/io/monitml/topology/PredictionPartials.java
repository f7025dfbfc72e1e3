package io.monitml.topology;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.apache.datasketches.kll.KllDoublesSketch;

import io.monitml.avro.PredictionPartial;
import io.monitml.ingest.Unit;
import io.monitml.stats.RunningMoments;
import io.monitml.stats.Sketches;

/** Creating and merging {@link PredictionPartial}s, the mergeable unit of prediction statistics. */
final class PredictionPartials {

    /** How the merging stage merges them; a partial holds its responses, or a latency partial its inferences. */
    static final WindowMerger.Partials<PredictionPartial> MERGING = new WindowMerger.Partials<>() {

        @Override
        public long windowStart(final PredictionPartial partial) {
            return partial.getWindowStart().toEpochMilli();
        }

        @Override
        public PredictionPartial merge(final PredictionPartial aggregate, final PredictionPartial partial) {
            // The first partial of a window becomes its aggregate; each was just deserialized, so nothing else holds it.
            return aggregate == null ? partial : PredictionPartials.merge(aggregate, partial);
        }

        @Override
        public void records(final PredictionPartial partial, final java.util.function.ObjLongConsumer<String> byAggregation) {
            if (partial.getResponses() > 0) {
                byAggregation.accept(PredictionPartialProcessor.LATE_STAGE, partial.getResponses());
            } else if (partial.getLatencySketch() != null) {
                byAggregation.accept(LatencyPartialProcessor.LATE_STAGE, Sketches.heapify(partial.getLatencySketch()).getN());
            }
        }
    };

    private PredictionPartials() {
    }

    static PredictionPartial empty(final Unit unit, final long windowStart) {
        return PredictionPartial.newBuilder()
            .setUnit(unit.toAvro())
            .setWindowStart(Instant.ofEpochMilli(windowStart))
            .setLastEventTime(Instant.ofEpochMilli(windowStart))
            .setOutput(null)
            .setResponses(0)
            .setCount(0)
            .setErrorCount(0)
            .setMin(Double.NaN)
            .setMax(Double.NaN)
            .setMean(0.0)
            .setM2(0.0)
            .build();
    }

    static RunningMoments moments(final PredictionPartial partial) {
        return RunningMoments.of(partial.getCount(), partial.getMean(), partial.getM2(), partial.getMin(), partial.getMax());
    }

    static void setMoments(final PredictionPartial partial, final RunningMoments moments) {
        partial.setCount(moments.count());
        partial.setMean(moments.count() == 0 ? 0.0 : moments.mean());
        partial.setM2(moments.m2());
        partial.setMin(moments.min());
        partial.setMax(moments.max());
    }

    /** Adds {@code other} into {@code into} and returns {@code into}. */
    static PredictionPartial merge(final PredictionPartial into, final PredictionPartial other) {
        final RunningMoments moments = moments(into);
        moments.merge(moments(other));
        setMoments(into, moments);
        into.setResponses(into.getResponses() + other.getResponses());
        into.setErrorCount(into.getErrorCount() + other.getErrorCount());
        if (into.getOutput() == null) {
            into.setOutput(other.getOutput());
        }
        if (other.getLastEventTime().isAfter(into.getLastEventTime())) {
            into.setLastEventTime(other.getLastEventTime());
        }
        into.setSketch(mergeSketches(into.getSketch(), other.getSketch()));
        into.setLatencySketch(mergeSketches(into.getLatencySketch(), other.getLatencySketch()));
        // Every partial merged under one windowed key has the same unit and window.
        into.setUnit(other.getUnit());
        into.setWindowStart(other.getWindowStart());
        return into;
    }

    /** The key downstream: the partial's unit. */
    static String unitKey(final PredictionPartial partial) {
        return Unit.fromAvro(partial.getUnit()).key();
    }

    private static ByteBuffer mergeSketches(final ByteBuffer into, final ByteBuffer other) {
        if (other == null) {
            return into;
        }
        if (into == null) {
            return other;
        }
        final KllDoublesSketch sketch = Sketches.heapify(into);
        sketch.merge(Sketches.heapify(other));
        return ByteBuffer.wrap(sketch.toByteArray());
    }
}
