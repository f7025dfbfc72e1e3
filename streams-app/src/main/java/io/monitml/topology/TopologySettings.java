package io.monitml.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * What the topology needs to know: topic names and the window shape.
 *
 * @param windowSize     tumbling event-time window size
 * @param grace          how long after a window's end late records are still counted in it
 * @param flushInterval  how often per-partition partials are flushed to the merging stage
 * @param storeRetention how long closed windows stay in the queryable window store
 */
public record TopologySettings(Topics topics, Duration windowSize, Duration grace, Duration flushInterval, Duration storeRetention) {

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        requirePositive(windowSize, "windowSize");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        requirePositive(flushInterval, "flushInterval");
        Objects.requireNonNull(storeRetention, "storeRetention");
        if (storeRetention.compareTo(windowSize.plus(grace)) < 0) {
            throw new IllegalArgumentException("storeRetention " + storeRetention
                + " must be at least the window size plus grace (" + windowSize.plus(grace) + ")");
        }
    }

    private static void requirePositive(final Duration value, final String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
