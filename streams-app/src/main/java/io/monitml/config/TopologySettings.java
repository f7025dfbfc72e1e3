package io.monitml.config;

import java.time.Duration;
import java.util.Objects;

import io.monitml.drift.DriftSettings;
import io.monitml.ingest.Limits;
import io.monitml.ingest.ModelSchemas;

/**
 * What the topology needs to know: topic names and the window shape.
 *
 * @param sources        which Seldon inputs are read
 * @param windowSize     tumbling event-time window size
 * @param grace          how long after a window's end late records are still counted in it
 * @param flushInterval  how often per-partition partials are flushed to the merging stage
 * @param storeRetention how long closed windows stay in the queryable window store
 * @param pairing        whether and how requests are paired with responses
 * @param drift          how feature drift is decided when a window closes
 * @param limits         what one sender may make the pipeline hold: clock skew, rows, features, categories, units
 * @param watermarks     when an input partition stops holding the windows back
 * @param groundTruth    whether and how labels are joined to the predictions they judge
 */
public record TopologySettings(Topics topics, Sources sources, Duration windowSize, Duration grace, Duration flushInterval,
                               Duration storeRetention, Pairing pairing, DriftSettings drift, Limits limits, Watermarks watermarks,
                               GroundTruth groundTruth) {

    /** With the default {@link Watermarks} and {@link GroundTruth}. */
    public TopologySettings(final Topics topics, final Sources sources, final Duration windowSize, final Duration grace,
                            final Duration flushInterval, final Duration storeRetention, final Pairing pairing,
                            final DriftSettings drift, final Limits limits) {
        this(topics, sources, windowSize, grace, flushInterval, storeRetention, pairing, drift, limits, Watermarks.defaults());
    }

    /** With the default {@link GroundTruth}. */
    public TopologySettings(final Topics topics, final Sources sources, final Duration windowSize, final Duration grace,
                            final Duration flushInterval, final Duration storeRetention, final Pairing pairing,
                            final DriftSettings drift, final Limits limits, final Watermarks watermarks) {
        this(topics, sources, windowSize, grace, flushInterval, storeRetention, pairing, drift, limits, watermarks, GroundTruth.defaults());
    }

    /**
     * The join of labels ({@link Topics#labels()}) to the predictions they judge.
     *
     * @param enabled   whether predictions are kept and labels joined
     * @param horizon   how long, in event time, a prediction is kept for its label: a later label is not joined
     * @param labelWait how long a label that came before its prediction waits for it
     * @param minLabels the labels a window needs before its figures are exported as gauges
     * @param inPlacePartitions the partitions of every input topic and the labels topic when they have as many, else 0
     *                  (the application checks the topics before it builds the topology): a label or a response keyed
     *                  by its request id and in the partition Kafka's default partitioner gives that id is where its
     *                  counterpart is, and the two meet without crossing a repartition; with 0, every one crosses it
     */
    public record GroundTruth(boolean enabled, Duration horizon, Duration labelWait, long minLabels, int inPlacePartitions) {

        public GroundTruth {
            requirePositive(horizon, "label horizon");
            requirePositive(labelWait, "label wait");
            if (minLabels < 1) {
                throw new IllegalArgumentException("min labels must be at least 1: " + minLabels);
            }
            if (inPlacePartitions < 0) {
                throw new IllegalArgumentException("in-place partitions must not be negative: " + inPlacePartitions);
            }
        }

        /** Every prediction and label crossing the repartition: right whatever the topics' partitions. */
        public GroundTruth(final boolean enabled, final Duration horizon, final Duration labelWait, final long minLabels) {
            this(enabled, horizon, labelWait, minLabels, 0);
        }

        public static GroundTruth defaults() {
            return new GroundTruth(Defaults.LABELS, Defaults.duration(Defaults.LABEL_HORIZON), Defaults.duration(Defaults.LABEL_WAIT),
                Defaults.MIN_LABELS);
        }

        public GroundTruth off() {
            return new GroundTruth(false, horizon, labelWait, minLabels, inPlacePartitions);
        }

        public GroundTruth withInPlacePartitions(final int partitions) {
            return new GroundTruth(enabled, horizon, labelWait, minLabels, partitions);
        }
    }

    /**
     * A window closes when every input partition that is still active has passed its end plus the
     * grace. An input partition is not active when it has had no record for {@code idle} (its task
     * says so), or when its task has announced nothing for {@code stalled} (the task is not running
     * anywhere: its instance is gone and no other has taken it over yet).
     */
    public record Watermarks(Duration idle, Duration stalled) {


        public Watermarks {
            requirePositive(idle, "idle timeout");
            requirePositive(stalled, "stalled timeout");
        }

        public static Watermarks defaults() {
            return new Watermarks(Defaults.duration(Defaults.IDLE_TIMEOUT), Defaults.duration(Defaults.STALLED_TIMEOUT));
        }
    }

    /**
     * Which inputs run besides the CloudEvents topic ({@link Topics#raw()}, always read).
     *
     * @param seldonV1Topic  the Seldon v1 executor's direct Kafka logger topic, or null when not read
     * @param seldonV2Prefix the topic prefix of Seldon Core v2 ({@code <prefix>.<ns>.model.<model>.inputs|outputs}), or null when not read
     * @param schemas        configured feature names and categorical features of models whose payloads lack them
     */
    public record Sources(String seldonV1Topic, String seldonV2Prefix, ModelSchemas schemas) {

        public Sources {
            schemas = schemas == null ? ModelSchemas.none() : schemas;
        }

        public Sources(final String seldonV1Topic, final String seldonV2Prefix) {
            this(seldonV1Topic, seldonV2Prefix, ModelSchemas.none());
        }

        public static Sources cloudEventsOnly() {
            return new Sources(null, null);
        }
    }

    /**
     * The request/response pairing side branch.
     *
     * @param maxWait how long, in event time, a row waits for its other half
     */
    public record Pairing(boolean enabled, Duration maxWait) {

        public Pairing {
            requirePositive(maxWait, "pairing wait");
        }

        public static Pairing off() {
            return new Pairing(false, Duration.ofSeconds(60));
        }
    }

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(sources, "sources");
        requirePositive(windowSize, "windowSize");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        requirePositive(flushInterval, "flushInterval");
        Objects.requireNonNull(storeRetention, "storeRetention");
        Objects.requireNonNull(pairing, "pairing");
        Objects.requireNonNull(drift, "drift");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(watermarks, "watermarks");
        Objects.requireNonNull(groundTruth, "groundTruth");
        if (storeRetention.compareTo(windowSize.plus(grace)) < 0) {
            throw new IllegalArgumentException("storeRetention " + storeRetention
                + " must be at least the window size plus grace (" + windowSize.plus(grace) + ")");
        }
    }

    public TopologySettings withLimits(final Limits newLimits) {
        return new TopologySettings(topics, sources, windowSize, grace, flushInterval, storeRetention, pairing, drift, newLimits, watermarks,
            groundTruth);
    }

    public TopologySettings withGroundTruth(final GroundTruth newGroundTruth) {
        return new TopologySettings(topics, sources, windowSize, grace, flushInterval, storeRetention, pairing, drift, limits, watermarks,
            newGroundTruth);
    }

    /**
     * How long the merged performance of a window is kept: the store retention, and at least as long
     * as labels can still come for it (its end, the horizon and a label's wait).
     */
    public Duration performanceRetention() {
        final Duration labelled = windowSize.plus(groundTruth.horizon()).plus(groundTruth.labelWait());
        return storeRetention.compareTo(labelled) >= 0 ? storeRetention : labelled;
    }

    private static void requirePositive(final Duration value, final String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
