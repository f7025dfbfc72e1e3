package io.monitml.topology;

import java.nio.ByteBuffer;

import org.apache.datasketches.kll.KllDoublesSketch;

import io.monitml.avro.PredictionPartial;
import io.monitml.drift.FeatureWindow;
import io.monitml.stats.Sketches;

/**
 * A live partial of prediction statistics: the Avro partial's counters and moments, and KLL
 * sketches of the predictions and of the latencies that are serialized into it only when the
 * partial is stored or sent.
 */
final class PredictionWindow {

    private final PredictionPartial partial;
    private final KllDoublesSketch sketch;
    private final KllDoublesSketch latencies;

    PredictionWindow(final PredictionPartial partial) {
        this.partial = partial;
        this.sketch = heapify(partial.getSketch());
        this.latencies = heapify(partial.getLatencySketch());
        partial.setSketch(null);
        partial.setLatencySketch(null);
    }

    PredictionPartial partial() {
        return partial;
    }

    void add(final double prediction) {
        if (!Double.isNaN(prediction)) {
            sketch.update(prediction);
        }
    }

    void addLatency(final double millis) {
        if (Double.isFinite(millis) && millis >= 0) {
            latencies.update(millis);
        }
    }

    PredictionPartial toAvro() {
        return PredictionPartial.newBuilder(partial)
            .setSketch(serialize(sketch))
            .setLatencySketch(serialize(latencies))
            .build();
    }

    private static KllDoublesSketch heapify(final ByteBuffer bytes) {
        return bytes == null ? KllDoublesSketch.newHeapInstance(FeatureWindow.SKETCH_K) : Sketches.heapify(bytes);
    }

    private static ByteBuffer serialize(final KllDoublesSketch sketch) {
        return sketch.isEmpty() ? null : ByteBuffer.wrap(sketch.toByteArray());
    }
}
