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
 */
public record TopologySettings(Topics topics, Sources sources, Duration windowSize, Duration grace, Duration flushInterval,
                               Duration storeRetention, Pairing pairing, DriftSettings drift, Limits limits, Watermarks watermarks) {

    /** With the default {@link Watermarks}. */
    public TopologySettings(final Topics topics, final Sources sources, final Duration windowSize, final Duration grace,
                            final Duration flushInterval, final Duration storeRetention, final Pairing pairing,
                            final DriftSettings drift, final Limits limits) {
        this(topics, sources, windowSize, grace, flushInterval, storeRetention, pairing, drift, limits, Watermarks.defaults());
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
        if (storeRetention.compareTo(windowSize.plus(grace)) < 0) {
            throw new IllegalArgumentException("storeRetention " + storeRetention
                + " must be at least the window size plus grace (" + windowSize.plus(grace) + ")");
        }
    }

    public TopologySettings withLimits(final Limits newLimits) {
        return new TopologySettings(topics, sources, windowSize, grace, flushInterval, storeRetention, pairing, drift, newLimits, watermarks);
    }

    private static void requirePositive(final Duration value, final String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
