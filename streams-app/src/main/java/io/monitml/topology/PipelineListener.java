package io.monitml.topology;

import java.util.List;

import io.monitml.avro.DriftReport;
import io.monitml.avro.PerformanceReport;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.EventKind;

/**
 * What the pipeline tells the outside world as it runs: the metrics registry and the demo's
 * console table listen. Called on stream threads, so implementations must be thread-safe and fast.
 */
public interface PipelineListener {

    PipelineListener NONE = new PipelineListener() {
    };

    /** The aggregation of the responses into prediction statistics. */
    String PREDICTION_STATISTICS = "prediction-statistics";
    /** The aggregation of the requests' rows into feature windows for drift. */
    String FEATURE_DRIFT = "feature-drift";
    /** The aggregation of paired inferences' latencies. */
    String LATENCY = "latency";

    /** The realized performance of the predictions that labels judged. */
    String PERFORMANCE = "performance";

    /** The aggregations that count late records, as {@link #late(String)} names them. */
    List<String> AGGREGATIONS = List.of(PREDICTION_STATISTICS, FEATURE_DRIFT, LATENCY, PERFORMANCE);

    /** A label judged its prediction. */
    String LABEL_JOINED = "joined";
    /** A label's prediction was not kept: never seen within the label wait, or past the horizon. */
    String LABEL_UNKNOWN = "unknown";
    /** A second label for a prediction already judged (or for one already waiting). */
    String LABEL_DUPLICATE = "duplicate";
    /** A label whose shape does not fit its prediction: also a dead letter. */
    String LABEL_MISMATCH = "mismatch";

    /** What became of labels, as {@link #labelOutcome(String)} names it. */
    List<String> LABEL_OUTCOMES = List.of(LABEL_JOINED, LABEL_UNKNOWN, LABEL_DUPLICATE, LABEL_MISMATCH);

    /** The merging stages, as {@link #watermark} names them: their windows close on a watermark. */
    List<String> MERGING_STAGES = List.of(PREDICTION_STATISTICS, FEATURE_DRIFT);

    /** The half of an inference that is its request. */
    String REQUEST = "request";
    /** The half of an inference that is its response. */
    String RESPONSE = "response";

    /** The halves of an inference, as {@link #unpaired(String)} and {@link #duplicate(String)} name them. */
    List<String> SIDES = List.of(REQUEST, RESPONSE);

    /** A raw record arrived from an input topic. */
    default void recordIn(final String topic) {
    }

    /** A record from {@code source} (its topic) in this body format was decoded into an event of this kind with this many rows. */
    default void decoded(final String source, final String format, final EventKind kind, final int rows) {
    }

    /**
     * A request of {@code unit} had {@code columns} more columns than its window keeps
     * ({@code --max-features}): they are not monitored, and the drift report names the first of them.
     */
    default void featuresDropped(final io.monitml.ingest.Unit unit, final int columns) {
    }

    /**
     * A record derived from the input (a result, a window's partial) could not be written to
     * {@code topic} ({@code reason}: too-large, serialization-error) and was dropped so that the task goes on.
     */
    default void recordDropped(final String topic, final String reason) {
    }

    /** A record went to the dead-letter topic; {@code stage} is decode, deserialize or process. */
    default void deadLettered(final String reason, final String stage) {
    }

    /** A request row and its response row were paired. */
    default void paired() {
    }

    /** A row's other half did not come within the pairing wait; {@code side} is the half that came (request or response). */
    default void unpaired(final String side) {
    }

    /** An event already counted (same unit, side and request id) came again and was dropped; {@code side} is request or response. */
    default void duplicate(final String side) {
    }

    /** Rows waiting for their other half in one task's pairing store, after an expiry pass. */
    default void pairingPending(final String task, final long rows) {
    }

    /**
     * A record arrived after its window had closed (its end plus the grace period is behind the
     * stream time): it is counted here and not added to a window that has already been reported.
     */
    default void late(final String stage) {
        late(stage, 1);
    }

    /** {@code records} records of the aggregation {@code stage} came after their window had closed (a late partial holds several). */
    default void late(final String stage, final long records) {
    }

    /**
     * The merging stage {@code stage}'s task {@code task} moved its watermark to {@code watermarkMs}:
     * the windows whose end plus grace is at most this time have closed.
     */
    default void watermark(final String stage, final String task, final long watermarkMs) {
    }

    /** {@code records} records of the aggregation were dropped because their unit, of {@code namespace}, has no place ({@code --max-units}). */
    default void refused(final String aggregation, final String namespace, final long records) {
    }

    /** The units one task of the merging stage {@code stage} monitors, after a change or an expiry pass. */
    default void unitsMonitored(final String stage, final String task, final int units) {
    }

    /** The merging stage's task that admits units closed on this instance. */
    default void unitsMonitoredGone(final String stage, final String task) {
    }

    /** The merging stage's task closed on this instance (stopped, or moved to another). */
    default void watermarkGone(final String stage, final String task) {
    }

    /**
     * A baseline record for {@code key} decoded but cannot be used ({@code reason} is one of
     * {@link io.monitml.baseline.BaselineCheck#REASONS}); the last good baseline of the key stays in force.
     */
    default void baselineRejected(final String key, final String reason) {
    }

    /** A window closed with this drift report. */
    default void driftReported(final DriftReport report) {
    }

    /** A label was joined, or not, for this reason (one of {@link #LABEL_OUTCOMES}). */
    default void labelOutcome(final String outcome) {
    }

    /** Labels waiting for their prediction in one task of the label join. */
    default void labelsWaiting(final String task, final long labels) {
    }

    /** The label join's task closed on this instance. */
    default void labelsWaitingGone(final String task) {
    }

    /** A window's realized performance changed: these are its figures so far. */
    default void performanceReported(final PerformanceReport report) {
    }

    /** A window closed with these prediction statistics. */
    default void predictionStatsClosed(final PredictionStats stats) {
    }
}
