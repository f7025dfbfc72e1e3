package io.monitml.topology;

/**
 * Names of every processor, store and internal topic, so that internal topics and stores keep
 * their names across releases (ensure.explicit.internal.resource.naming) and tests never see
 * generated ones. Internal topics are prefixed by Kafka Streams with the application id.
 */
public final class Names {

    public static final String RAW_SOURCE = "raw-source";
    public static final String NORMALIZE = "normalize";
    public static final String SELDON_V2_SOURCE = "seldon-v2-source";
    public static final String NORMALIZE_V2 = "normalize-seldon-v2";
    public static final String MERGE_SOURCES = "merge-sources";
    public static final String DROP_DUPLICATES = "drop-duplicate-events";
    /** The events counted recently (to drop a resent one, across restarts too) and that stage's event time. */
    public static final String RECENT_EVENTS_STORE = "recent-events";
    public static final String PREDICTION_PARTIALS = "prediction-partials";
    /** Per-partition buffer of partials not yet flushed downstream. */
    public static final String PREDICTION_PARTIALS_BUFFER = "prediction-partials-buffer";
    /** Repartition topic {@code <application.id>-prediction-partials-repartition}. */
    public static final String PREDICTION_PARTIALS_BY_UNIT = "prediction-partials";
    /** Each prediction-partials task's progress, which it announces to the merging stage. */
    public static final String PREDICTION_PARTIALS_PROGRESS = "prediction-partials-progress";
    public static final String ADMIT_PREDICTION_UNITS = "admit-prediction-units";
    /** The units the prediction merging stage's task monitors, and when each was last seen. */
    public static final String PREDICTION_STATS_UNITS = "prediction-stats-units";
    public static final String MERGE_PREDICTION_PARTIALS = "merge-prediction-partials";
    /** Window store of merged prediction statistics, queryable. */
    public static final String PREDICTION_STATS_STORE = "prediction-stats";
    /** The statistics of the windows still open, by unit and window start, for interactive queries (in memory). */
    public static final String LIVE_PREDICTION_STATS_STORE = "live-prediction-stats";
    /** The prediction merging stage's sources' progress and its watermark. */
    public static final String PREDICTION_STATS_WATERMARK = "prediction-stats-watermark";
    public static final String TO_PREDICTION_STATS = "to-prediction-stats";
    /** Closed windows' statistics by unit and window start, for interactive queries. */
    public static final String CLOSED_PREDICTION_STATS_STORE = "closed-prediction-stats";
    /** Each unit's latest closed window's statistics: the list of monitored units. */
    public static final String LATEST_PREDICTION_STATS_STORE = "latest-prediction-stats";
    public static final String KEEP_PREDICTION_STATS = "keep-prediction-stats";
    public static final String ANNOUNCE_PREDICTION_STATS = "announce-prediction-stats";
    public static final String PREDICTION_STATS_SINK = "prediction-stats-sink";

    public static final String FEATURE_PARTIALS = "feature-partials";
    public static final String FEATURE_PARTIALS_BUFFER = "feature-partials-buffer";
    /** Repartition topic {@code <application.id>-feature-partials-repartition}. */
    public static final String FEATURE_PARTIALS_BY_UNIT = "feature-partials";
    /** Each feature-partials task's progress, which it announces to the merging stage. */
    public static final String FEATURE_PARTIALS_PROGRESS = "feature-partials-progress";
    public static final String ADMIT_FEATURE_UNITS = "admit-feature-units";
    /** The units the feature merging stage's task monitors, and when each was last seen. */
    public static final String FEATURE_WINDOWS_UNITS = "feature-windows-units";
    public static final String MERGE_FEATURE_PARTIALS = "merge-feature-partials";
    /** Window store of merged feature distributions. */
    public static final String FEATURE_WINDOWS_STORE = "feature-windows";
    /** The feature merging stage's sources' progress and its watermark. */
    public static final String FEATURE_WINDOWS_WATERMARK = "feature-windows-watermark";
    public static final String DRIFT = "drift-against-baseline";
    public static final String DRIFT_SINK = "drift-sink";
    /** Drift reports by unit and window start, for interactive queries. */
    public static final String DRIFT_REPORTS_STORE = "drift-reports";
    /** Each unit's latest drift report. */
    public static final String LATEST_DRIFT_STORE = "latest-drift";
    public static final String KEEP_DRIFT_REPORTS = "keep-drift-reports";
    public static final String BASELINES_SOURCE = "baselines-source";
    /** Global store of training baselines, keyed deployment[/model]@version. */
    public static final String BASELINES_STORE = "baselines";
    public static final String BASELINES_UPDATE = "baselines-update";

    /** The halves of events whose record was keyed by request id: they pair where they are. */
    public static final String TO_PAIRING_HALVES_IN_PLACE = "to-pairing-halves-in-place";
    public static final String TO_PAIRING_HALVES = "to-pairing-halves";
    /**
     * Repartition topic {@code <application.id>-pairing-halves-by-request-id-repartition}: co-partitions
     * both halves of the events that were not keyed by request id (one compact record per event).
     */
    public static final String PAIRING_HALVES_BY_REQUEST_ID = "pairing-halves-by-request-id";
    public static final String MERGE_PAIRING_HALVES = "merge-pairing-halves";
    public static final String PAIR = "pair-requests-and-responses";
    /** Inferences waiting for their other half, and recently paired ones (to recognise duplicates), by request id. */
    public static final String PAIRING_STORE = "pairing-inferences";
    /** The ids paired recently (to recognise duplicates after a restart) and the pairing stage's event time. */
    public static final String PAIRING_RECENT_STORE = "pairing-recent";
    public static final String TO_INFERENCE_ROWS = "to-inference-rows";
    public static final String INFERENCES_SINK = "inferences-sink";
    public static final String LATENCY_PARTIALS = "latency-partials";
    /** Per-partition write-behind buffer of the paired inferences' latencies per (unit, window). */
    public static final String LATENCY_PARTIALS_BUFFER = "latency-partials-buffer";
    public static final String MERGE_LATENCY_PARTIALS = "merge-latency-partials";

    public static final String LABELS_SOURCE = "labels-source";
    /** Reads the labels topic; a label that does not fit its schema is a dead letter of the decode stage. */
    public static final String DECODE_LABELS = "decode-labels";
    public static final String TO_JOIN_PREDICTIONS = "to-join-predictions";
    /** The predictions of responses already in the task of their request id: they meet their labels where they are. */
    public static final String PREDICTIONS_IN_PLACE = "join-predictions-in-place";
    public static final String PREDICTIONS_TO_CROSS = "join-predictions-to-cross";
    /** The labels already in the task of their request id: they meet their predictions where they are. */
    public static final String LABELS_IN_PLACE = "labels-in-place";
    public static final String LABELS_TO_CROSS = "labels-to-cross";
    public static final String MERGE_JOIN_INPUTS = "merge-join-inputs";
    public static final String MERGE_JOIN_INPUTS_IN_PLACE = "merge-join-inputs-in-place";
    public static final String MERGE_JOIN_INPUTS_CROSSED = "merge-join-inputs-crossed";
    /**
     * Repartition topic {@code <application.id>-label-join-by-request-id-repartition}: the predictions and labels that
     * are not in the partition of their request id, by request id.
     */
    public static final String JOIN_INPUTS_BY_REQUEST_ID = "label-join-by-request-id";
    public static final String JOIN_LABELS = "join-labels";
    /** The predictions kept for their labels, by request id and event time, for the label horizon. */
    public static final String LABEL_JOIN_PREDICTIONS = "label-join-predictions";
    /** The labels that came before their prediction, by request id, for the label wait. */
    public static final String LABEL_JOIN_WAITING = "label-join-waiting";
    /** Per-task write-behind buffer of the realized performance per (unit, window) since the last flush. */
    public static final String PERFORMANCE_PARTIALS_BUFFER = "performance-partials-buffer";
    /** Repartition topic {@code <application.id>-performance-partials-repartition}. */
    public static final String PERFORMANCE_PARTIALS_BY_UNIT = "performance-partials";
    public static final String ADMIT_PERFORMANCE_UNITS = "admit-performance-units";
    /** The units the performance merging stage's task monitors. */
    public static final String PERFORMANCE_UNITS = "performance-units";
    public static final String MERGE_PERFORMANCE = "merge-performance";
    /** The merged performance partials by unit and window start: what the next partial adds to. */
    public static final String PERFORMANCE_STORE = "performance";
    /** Each window's realized performance so far, by unit and window start, for interactive queries. */
    public static final String PERFORMANCE_REPORTS_STORE = "performance-reports";
    public static final String PERFORMANCE_SINK = "performance-sink";

    private Names() {
    }

    public static String repartitionTopic(final String applicationId, final String name) {
        return applicationId + "-" + name + "-repartition";
    }
}
