package io.monitml.ingest;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The units this instance monitors, at most {@code max} at once, shared by all its stream threads:
 * a sender that invents thousands of identities gets its records of new units refused, while every
 * unit already known keeps being monitored. A unit silent for the expiry frees its place.
 * Thread-safe; admitting a known unit is one map read and one write of its last-seen time.
 */
public final class UnitRegistry {

    public static final String UNIT_LIMIT = "unit-limit";

    private final int max;
    private final Map<String, Seen> units = new ConcurrentHashMap<>();

    public UnitRegistry(final int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the maximum units must be at least 1: " + max);
        }
        this.max = max;
    }

    /**
     * Records that the unit was seen at {@code now}.
     *
     * @throws InvalidRecordException {@value #UNIT_LIMIT} when the unit is new and the registry is full
     */
    public void admit(final String unitKey, final long now) {
        final Seen seen = units.get(unitKey);
        if (seen != null) {
            seen.at = now;
            return;
        }
        if (units.size() >= max) {
            throw new InvalidRecordException(UNIT_LIMIT, "This instance already monitors " + max + " units (--max-units); unit "
                + unitKey + " is new and not monitored until one of them has been silent for the series expiry");
        }
        units.computeIfAbsent(unitKey, key -> new Seen()).at = now;
    }

    /** Forgets the units not seen since {@code cutoff}; one pass over the units. @return how many */
    public int expireIdle(final long cutoff) {
        int expired = 0;
        for (Iterator<Seen> seen = units.values().iterator(); seen.hasNext(); ) {
            if (seen.next().at < cutoff) {
                seen.remove();
                expired++;
            }
        }
        return expired;
    }

    public int size() {
        return units.size();
    }

    public int max() {
        return max;
    }

    private static final class Seen {
        private volatile long at;
    }
}
