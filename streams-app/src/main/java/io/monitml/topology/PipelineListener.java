package io.monitml.topology;

import io.monitml.avro.PredictionStats;
import io.monitml.ingest.EventKind;

/**
 * What the pipeline tells the outside world as it runs: the metrics registry and the demo's
 * console table listen. Called on stream threads, so implementations must be thread-safe and fast.
 */
public interface PipelineListener {

    PipelineListener NONE = new PipelineListener() {
    };

    /** A raw record arrived from an input topic. */
    default void recordIn(final String topic) {
    }

    /** A record was decoded into an inference event of this kind. */
    default void decoded(final EventKind kind, final String cloudEventType) {
    }

    /** A record went to the dead-letter topic. */
    default void deadLettered(final String reason) {
    }

    /** A window closed with these prediction statistics. */
    default void predictionStatsClosed(final PredictionStats stats) {
    }

    /** Combines listeners; each is called in order. */
    static PipelineListener all(final PipelineListener... listeners) {
        return new CompositeListener(listeners);
    }
}
