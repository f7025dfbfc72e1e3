package io.monitml.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * What one sender may make the pipeline hold or do, so that no input can blind the monitor: how far
 * ahead of the instance's clock an event may claim to be, how many rows one event may carry, how
 * many features and categories a unit's window keeps, and how many units the merging stage admits.
 * Whatever exceeds them is refused with a reason or counted, never fatal.
 *
 * @param maxClockSkew    an event time further than this ahead of its record's timestamp (or of this
 *                        instance's clock) is refused as {@code future-time}
 * @param maxRowsPerEvent an event with more rows is refused as {@code limit-exceeded}
 * @param maxFeatures     features (columns) kept per unit and window: the baseline's first, then in
 *                        payload order; the others are counted as dropped
 * @param maxCategories   distinct categories kept per feature and window (the baseline's always);
 *                        the others are counted together as {@code other}
 * @param maxUnits        units each task of the merging stage monitors at once (a unit's partials all
 *                        meet in one task, so every instance agrees on it); a new unit beyond it is
 *                        refused while the known ones keep working, and units without a baseline
 *                        take at most half of the places
 * @param maxUnitsPerNamespace units without a baseline that one namespace may have monitored per task:
 *                        a sender inventing identities in its namespace cannot take the others' places
 * @param unitExpiry      a unit that has sent nothing for this long frees its place (and its series)
 * @param maxRecordBytes  the largest record written to a topic MonitML does not size itself (the
 *                        results and the dead letters): Kafka's default {@code max.message.bytes};
 *                        at start the application lowers it to what those topics take
 */
public record Limits(Duration maxClockSkew, int maxRowsPerEvent, int maxFeatures, int maxCategories, int maxUnits,
                     int maxUnitsPerNamespace, Duration unitExpiry, int maxRecordBytes) {

    public static final int DEFAULT_MAX_ROWS_PER_EVENT = 10_000;
    public static final int DEFAULT_MAX_FEATURES = 256;
    public static final int DEFAULT_MAX_CATEGORIES = 64;
    public static final int DEFAULT_MAX_UNITS = 1_000;
    public static final int DEFAULT_MAX_UNITS_PER_NAMESPACE = 100;
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
        requirePositive(maxUnitsPerNamespace, "units without a baseline per namespace");
        Objects.requireNonNull(unitExpiry, "unitExpiry");
        if (unitExpiry.isNegative() || unitExpiry.isZero()) {
            throw new IllegalArgumentException("the unit expiry must be positive: " + unitExpiry);
        }
        if (maxRecordBytes < 64 << 10) {
            throw new IllegalArgumentException("the maximum record size must be at least 64 KiB: " + maxRecordBytes);
        }
    }

    public Limits withMaxClockSkew(final Duration skew) {
        return new Limits(skew, maxRowsPerEvent, maxFeatures, maxCategories, maxUnits, maxUnitsPerNamespace, unitExpiry, maxRecordBytes);
    }

    public Limits withMaxFeatures(final int features) {
        return new Limits(maxClockSkew, maxRowsPerEvent, features, maxCategories, maxUnits, maxUnitsPerNamespace, unitExpiry, maxRecordBytes);
    }

    public Limits withMaxUnits(final int units) {
        return new Limits(maxClockSkew, maxRowsPerEvent, maxFeatures, maxCategories, units, maxUnitsPerNamespace, unitExpiry, maxRecordBytes);
    }

    public Limits withUnits(final int units, final int perNamespace, final Duration expiry) {
        return new Limits(maxClockSkew, maxRowsPerEvent, maxFeatures, maxCategories, units, perNamespace, expiry, maxRecordBytes);
    }

    public Limits withMaxRecordBytes(final int bytes) {
        return new Limits(maxClockSkew, maxRowsPerEvent, maxFeatures, maxCategories, maxUnits, maxUnitsPerNamespace, unitExpiry, bytes);
    }

    private static void requirePositive(final int value, final String what) {
        if (value < 1) {
            throw new IllegalArgumentException("the maximum " + what + " must be at least 1: " + value);
        }
    }
}
