package io.monitml.config;

import java.util.List;
import java.util.Objects;

/**
 * The catalogue of the topics MonitML reads and writes. Topology, runtime (topic creation),
 * query layer and tests all take names from here.
 *
 * @param raw             Seldon logger events as binary-mode CloudEvents (input)
 * @param deadLetter      records that could not be processed, with the reason in headers
 * @param predictionStats closed-window prediction statistics (Avro)
 * @param drift           closed-window drift reports (Avro)
 * @param baselines       training baselines (Avro, compacted)
 * @param inferences      paired request/response rows (Avro); empty: not written (latency is still measured)
 * @param labels          the truths of predictions, keyed by request id (JSON, {@code schemas/json/label.schema.json})
 * @param performance     realized performance per unit and window of the predictions (Avro, compacted: a window is
 *                        written again as its labels arrive)
 */
public record Topics(String raw, String deadLetter, String predictionStats, String drift, String baselines, String inferences,
                     String labels, String performance) {

    public static final String DEFAULT_RAW = "monitml.raw";
    public static final String DEFAULT_DEAD_LETTER = "monitml.dead-letters";
    public static final String DEFAULT_PREDICTION_STATS = "monitml.prediction-stats";
    public static final String DEFAULT_DRIFT = "monitml.drift";
    public static final String DEFAULT_BASELINES = "monitml.baselines";
    public static final String DEFAULT_INFERENCES = "monitml.inferences";
    public static final String DEFAULT_LABELS = "monitml.labels";
    public static final String DEFAULT_PERFORMANCE = "monitml.performance";

    public Topics {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(predictionStats, "predictionStats");
        Objects.requireNonNull(drift, "drift");
        Objects.requireNonNull(baselines, "baselines");
        Objects.requireNonNull(inferences, "inferences");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(performance, "performance");
    }

    /** With the labels and performance topics by their default names. */
    public Topics(final String raw, final String deadLetter, final String predictionStats, final String drift, final String baselines,
                  final String inferences) {
        this(raw, deadLetter, predictionStats, drift, baselines, inferences, DEFAULT_LABELS, DEFAULT_PERFORMANCE);
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_RAW, DEFAULT_DEAD_LETTER, DEFAULT_PREDICTION_STATS, DEFAULT_DRIFT,
            DEFAULT_BASELINES, DEFAULT_INFERENCES, DEFAULT_LABELS, DEFAULT_PERFORMANCE);
    }

    /** Whether the joined rows are written: the inferences topic is set. */
    public boolean writesInferences() {
        return !inferences.isBlank();
    }

    /** Every topic the application owns or reads, for creation at start. */
    public List<String> all() {
        final List<String> all = new java.util.ArrayList<>(List.of(raw, deadLetter, predictionStats, drift, baselines, labels, performance));
        if (writesInferences()) {
            all.add(inferences);
        }
        return List.copyOf(all);
    }

    /** The topics the pipeline writes its results and dead letters to. */
    public List<String> written() {
        return writesInferences() ? List.of(predictionStats, drift, deadLetter, performance, inferences)
            : List.of(predictionStats, drift, deadLetter, performance);
    }

    /** Topics that keep only the latest value per key: the baselines, and each window's latest performance. */
    public List<String> compacted() {
        return List.of(baselines, performance);
    }
}
