package io.monitml.topology;

import java.nio.ByteBuffer;

import org.apache.datasketches.kll.KllDoublesSketch;

import io.monitml.avro.PredictionPartial;
import io.monitml.stats.Sketches;
import io.monitml.drift.FeatureWindow;

/**
 * A live partial of prediction statistics: the Avro partial's counters and moments, and a KLL
 * sketch of the predictions that is serialized into it only when the partial is stored or sent.
 */
final class PredictionWindow {

    private final PredictionPartial partial;
    private final KllDoublesSketch sketch;

    PredictionWindow(final PredictionPartial partial) {
        this.partial = partial;
        this.sketch = partial.getSketch() == null ? KllDoublesSketch.newHeapInstance(FeatureWindow.SKETCH_K) : Sketches.heapify(partial.getSketch());
        partial.setSketch(null);
    }

    PredictionPartial partial() {
        return partial;
    }

    void add(final double prediction) {
        if (!Double.isNaN(prediction)) {
            sketch.update(prediction);
        }
    }

    PredictionPartial toAvro() {
        final PredictionPartial copy = PredictionPartial.newBuilder()
            .setUnit(partial.getUnit()).setWindowStart(partial.getWindowStart()).setLastEventTime(partial.getLastEventTime())
            .setOutput(partial.getOutput()).setResponses(partial.getResponses()).setCount(partial.getCount())
            .setErrorCount(partial.getErrorCount()).setMin(partial.getMin()).setMax(partial.getMax())
            .setMean(partial.getMean()).setM2(partial.getM2())
            .setSketch(sketch.isEmpty() ? null : ByteBuffer.wrap(sketch.toByteArray()))
            .build();
        return copy;
    }

}
