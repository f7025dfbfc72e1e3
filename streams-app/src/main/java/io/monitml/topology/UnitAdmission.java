package io.monitml.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.ingest.Limits;
import io.monitml.ingest.Unit;

/**
 * The units one task of a merging stage monitors, and the rule for a new one. A unit's partials all
 * meet in one task (the merging stage is partitioned by unit), so the decision is taken once, and
 * every instance's partials of the unit are kept or refused alike: a unit is never half monitored.
 *
 * <p>The rule, for a unit the task does not monitor yet:
 * <ul>
 *   <li>at most {@link Limits#maxUnits()} units at once; a unit already monitored keeps its place
 *       as long as it sends, whatever newcomers do;</li>
 *   <li>units without a baseline take at most half of the places, and at most
 *       {@link Limits#maxUnitsPerNamespace()} of one namespace: a sender inventing identities
 *       fills its own namespace's share, not the places of units with a baseline or of other
 *       namespaces;</li>
 *   <li>a unit silent for {@link Limits#unitExpiry()} frees its place.</li>
 * </ul>
 * The monitored units and when each was last seen are in a logged store, so that after a restart
 * or a rebalance the units known before keep their places ahead of any newcomer. A last-seen time
 * is written when it has moved by a tenth of the expiry, not at every partial.
 */
final class UnitAdmission {

    private final int maxUnits;
    private final int maxWithoutBaseline;
    private final int maxPerNamespace;
    private final long expiryMs;
    private final KeyValueStore<String, byte[]> store;
    private final Predicate<Unit> hasBaseline;
    private final Map<String, Place> places = new HashMap<>();
    private final Map<String, Integer> withoutBaselineByNamespace = new HashMap<>();
    private int withoutBaseline;

    /** A monitored unit: its namespace, whether it had a baseline when admitted, when it was last seen and last written. */
    private static final class Place {
        private final String namespace;
        private final boolean baselined;
        private long lastSeen;
        private long written;

        Place(final String namespace, final boolean baselined, final long lastSeen) {
            this.namespace = namespace;
            this.baselined = baselined;
            this.lastSeen = lastSeen;
            this.written = lastSeen;
        }
    }

    /**
     * Reads the units the store holds.
     *
     * @param hasBaseline whether a unit has a training baseline (asked once per new unit)
     */
    UnitAdmission(final KeyValueStore<String, byte[]> store, final Predicate<Unit> hasBaseline, final Limits limits) {
        this.store = store;
        this.hasBaseline = hasBaseline;
        this.maxUnits = limits.maxUnits();
        this.maxWithoutBaseline = (limits.maxUnits() + 1) / 2;
        this.maxPerNamespace = limits.maxUnitsPerNamespace();
        this.expiryMs = limits.unitExpiry().toMillis();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> {
                final ByteBuffer value = ByteBuffer.wrap(entry.value);
                final long lastSeen = value.getLong();
                take(entry.key, new Place(Unit.fromKey(entry.key).namespace(), value.get() != 0, lastSeen));
            });
        }
    }

    /** Whether the unit is monitored: it was, or it is new and the rule gives it a place; {@code now} by the clock. */
    boolean admit(final String unitKey, final long now) {
        final Place known = places.get(unitKey);
        if (known != null) {
            known.lastSeen = now;
            if (now - known.written >= expiryMs / 10) {
                write(unitKey, known);
            }
            return true;
        }
        if (places.size() >= maxUnits) {
            return false;
        }
        final Unit unit = Unit.fromKey(unitKey);
        final boolean baselined = hasBaseline.test(unit);
        if (!baselined && (withoutBaseline >= maxWithoutBaseline
            || withoutBaselineByNamespace.getOrDefault(unit.namespace(), 0) >= maxPerNamespace)) {
            return false;
        }
        final Place place = new Place(unit.namespace(), baselined, now);
        take(unitKey, place);
        write(unitKey, place);
        return true;
    }

    /** Frees the places of the units silent for the expiry; returns how many. */
    int expire(final long now) {
        final List<String> silent = new ArrayList<>();
        places.forEach((key, place) -> {
            if (now - place.lastSeen >= expiryMs) {
                silent.add(key);
            }
        });
        for (String key : silent) {
            final Place place = places.remove(key);
            if (!place.baselined) {
                withoutBaseline--;
                withoutBaselineByNamespace.merge(place.namespace, -1, (a, b) -> a + b == 0 ? null : a + b);
            }
            store.delete(key);
        }
        return silent.size();
    }

    /** The units monitored. */
    int size() {
        return places.size();
    }

    private void take(final String unitKey, final Place place) {
        places.put(unitKey, place);
        if (!place.baselined) {
            withoutBaseline++;
            withoutBaselineByNamespace.merge(place.namespace, 1, Integer::sum);
        }
    }

    private void write(final String unitKey, final Place place) {
        place.written = place.lastSeen;
        store.put(unitKey, ByteBuffer.allocate(Long.BYTES + 1).putLong(place.lastSeen).put((byte) (place.baselined ? 1 : 0)).array());
    }
}
