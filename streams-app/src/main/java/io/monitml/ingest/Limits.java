package io.monitml.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * What one sender may make the pipeline hold or do, so that no input can blind the monitor: how far
 * ahead of the instance's clock an event may claim to be, how many rows one event may carry, how
 * many features and categories a unit's window keeps, and how many units one instance tracks.
 * Whatever exceeds them is refused with a reason or counted, never fatal.
 *
 * @param maxClockSkew    an event time further than this ahead of its record's timestamp (or of this
 *                        instance's clock) is refused as {@code future-time}
 * @param maxRowsPerEvent an event with more rows is refused as {@code limit-exceeded}
 * @param maxFeatures     features (columns) kept per unit and window: the baseline's first, then in
 *                        payload order; the others are counted as dropped
 * @param maxCategories   distinct categories kept per feature and window (the baseline's always);
 *                        the others are counted together as {@code other}
 * @param maxUnits        units this instance monitors at once; records of new units beyond it are
 *                        refused as {@code unit-limit} while the known ones keep working
 * @param maxRecordBytes  the largest record written to a topic MonitML does not size itself (the
 *                        results and the dead letters): Kafka's default {@code max.message.bytes};
 *                        at start the application lowers it to what those topics take
 */
public record Limits(Duration maxClockSkew, int maxRowsPerEvent, int maxFeatures, int maxCategories, int maxUnits,
                     int maxRecordBytes) {

    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_ROWS_PER_EVENT = 10_000;
    public static final int DEFAULT_MAX_FEATURES = 256;
    public static final int DEFAULT_MAX_CATEGORIES = 64;
    public static final int DEFAULT_MAX_UNITS = 1_000;
    /** Kafka's default {@code max.message.bytes} (1 MiB and a record batch's overhead). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_048_588;

    /** The longest feature name a body may use; longer ones are refused as {@code limit-exceeded}. */
    public static final int MAX_NAME_LENGTH = 256;
    /** Categories longer than this count as {@code other}; text values on the inferences topic are cut to it. */
    public static final int MAX_CATEGORY_LENGTH = 128;

    public Limits {
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("the maximum clock skew must not be negative: " + maxClockSkew);
        }
        requirePositive(maxRowsPerEvent, "rows per event");
        requirePositive(maxFeatures, "features per unit");
        requirePositive(maxCategories, "categories per feature");
        requirePositive(maxUnits, "units");
        if (maxRecordBytes < 64 << 10) {
            throw new IllegalArgumentException("the maximum record size must be at least 64 KiB: " + maxRecordBytes);
        }
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_CLOCK_SKEW, DEFAULT_MAX_ROWS_PER_EVENT, DEFAULT_MAX_FEATURES, DEFAULT_MAX_CATEGORIES,
            DEFAULT_MAX_UNITS, DEFAULT_MAX_RECORD_BYTES);
    }

    public Limits withMaxClockSkew(final Duration skew) {
        return new Limits(skew, maxRowsPerEvent, maxFeatures, maxCategories, maxUnits, maxRecordBytes);
    }

    public Limits withMaxFeatures(final int features) {
        return new Limits(maxClockSkew, maxRowsPerEvent, features, maxCategories, maxUnits, maxRecordBytes);
    }

    public Limits withMaxUnits(final int units) {
        return new Limits(maxClockSkew, maxRowsPerEvent, maxFeatures, maxCategories, units, maxRecordBytes);
    }

    public Limits withMaxRecordBytes(final int bytes) {
        return new Limits(maxClockSkew, maxRowsPerEvent, maxFeatures, maxCategories, maxUnits, bytes);
    }

    private static void requirePositive(final int value, final String what) {
        if (value < 1) {
            throw new IllegalArgumentException("the maximum " + what + " must be at least 1: " + value);
        }
    }
}
