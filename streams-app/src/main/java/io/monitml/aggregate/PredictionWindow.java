package io.monitml.aggregate;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.RowBatch;
import io.monitml.stats.RunningMoments;

/**
 * The live, mergeable prediction statistics of one unit in one window: the responses and errors,
 * the moments and a KLL sketch of the predictions (the first output of each row), and a KLL sketch
 * of the latencies of the inferences paired in the window. A window of one input partition's
 * records becomes a partial; the partials of all partitions merge into the window's statistics.
 */
public final class PredictionWindow {

    private final Unit unit;
    private final long windowStart;
    private long lastEventTime;
    private String output;
    private long responses;
    private long errorCount;
    private final RunningMoments moments;
    private final KllDoublesSketch predictions;
    private final KllDoublesSketch latencies;

    public PredictionWindow(final Unit unit, final long windowStart) {
        this(unit, windowStart, windowStart, null, 0, 0, new RunningMoments(), null, null);
    }

    /**
     * A window as a partial carried it.
     *
     * @param predictions the predictions' sketch, or null when it had none
     * @param latencies   the latencies' sketch, or null when it had none
     */
    public PredictionWindow(final Unit unit, final long windowStart, final long lastEventTime, final String output, final long responses,
                            final long errorCount, final RunningMoments moments, final KllDoublesSketch predictions,
                            final KllDoublesSketch latencies) {
        this.unit = unit;
        this.windowStart = windowStart;
        this.lastEventTime = lastEventTime;
        this.output = output;
        this.responses = responses;
        this.errorCount = errorCount;
        this.moments = moments;
        this.predictions = predictions == null ? KllDoublesSketch.newHeapInstance(FeatureWindow.SKETCH_K) : predictions;
        this.latencies = latencies == null ? KllDoublesSketch.newHeapInstance(FeatureWindow.SKETCH_K) : latencies;
    }

    /**
     * Adds a response: a failed one counts as an error; otherwise each row's first output (the
     * prediction; further outputs such as class probabilities come later) is a prediction.
     */
    public void addResponse(final long eventTime, final boolean failed, final RowBatch rows) {
        responses++;
        lastEventTime = Math.max(lastEventTime, eventTime);
        if (failed) {
            errorCount++;
            return;
        }
        if (rows == null || rows.columns() == 0) {
            return;
        }
        if (output == null) {
            output = rows.name(0);
        }
        for (int row = 0; row < rows.rows(); row++) {
            final double prediction = rows.value(row, 0);
            moments.add(prediction);
            if (!Double.isNaN(prediction)) {
                predictions.update(prediction);
            }
        }
    }

    /** Adds the latency of an inference paired at this event time; a negative or undefined latency is left out. */
    public void addLatency(final long eventTime, final double millis) {
        lastEventTime = Math.max(lastEventTime, eventTime);
        if (Double.isFinite(millis) && millis >= 0) {
            latencies.update(millis);
        }
    }

    /** Adds another window of the same unit and time. */
    public void merge(final PredictionWindow other) {
        moments.merge(other.moments);
        responses += other.responses;
        errorCount += other.errorCount;
        if (output == null) {
            output = other.output;
        }
        lastEventTime = Math.max(lastEventTime, other.lastEventTime);
        predictions.merge(other.predictions);
        latencies.merge(other.latencies);
    }

    /** The window's statistics: quantiles from the sketches, exact while they hold every value, else within their rank error (about 1.6 %). */
    public PredictionSummary summary() {
        return new PredictionSummary(output, responses, moments.count(), errorCount, orNull(moments.min()), orNull(moments.max()),
            orNull(moments.mean()), orNull(moments.variance()), quantile(predictions, 0.5), quantile(predictions, 0.9),
            quantile(predictions, 0.99), quantile(latencies, 0.5), quantile(latencies, 0.9), quantile(latencies, 0.99));
    }

    private static Double quantile(final KllDoublesSketch sketch, final double rank) {
        return sketch.isEmpty() ? null : sketch.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
    }

    private static Double orNull(final double value) {
        return Double.isNaN(value) ? null : value;
    }

    public Unit unit() {
        return unit;
    }

    public long windowStart() {
        return windowStart;
    }

    public long lastEventTime() {
        return lastEventTime;
    }

    /** The name of the prediction output, or null before a response with one. */
    public String output() {
        return output;
    }

    public long responses() {
        return responses;
    }

    public long errorCount() {
        return errorCount;
    }

    public RunningMoments moments() {
        return moments;
    }

    /** The predictions' sketch; the window's own. */
    public KllDoublesSketch predictions() {
        return predictions;
    }

    /** The latencies' sketch, in milliseconds; the window's own. */
    public KllDoublesSketch latencies() {
        return latencies;
    }
}
