package io.monitml.state;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store of mutable aggregates (sketches, counters) kept as live objects and written
 * to the logged store underneath only when Kafka Streams prepares a commit, not on every update,
 * while a record costs a map lookup instead of serializing the aggregate. Written in the commit's
 * preparation, before the transaction ({@link PreCommitStore}), what the changelog holds always
 * matches the committed offsets: a crash neither loses an update nor brings back a partial that
 * was already sent.
 *
 * <p>Callers mutate what {@link #get} returns and {@link #put} it back to mark it changed.
 *
 * <p>An entry put and deleted again within one commit interval never reaches the logged store: no
 * write, no changelog record (the pairing store's usual entry: a request whose response comes within
 * the interval). When built to evict, the live objects are dropped at each commit once written, so
 * that memory holds one interval's entries and the logged store the rest.
 */
public final class WriteBehindStore<V> extends PreCommitStore<String, V> implements KeyValueStore<String, V> {

    private final Map<String, V> live = new HashMap<>();
    private final Set<String> changed = new HashSet<>();
    private final Set<String> deleted = new HashSet<>();
    /** Keys put in this interval that the logged store does not hold: deleting them needs no write. */
    private final Set<String> fresh = new HashSet<>();
    private final boolean evictOnCommit;
    /** The last key the logged store did not hold, so that the put after a missed get needs no second lookup. */
    private String lastMiss;

    WriteBehindStore(final KeyValueStore<String, V> logged, final boolean evictOnCommit) {
        super(logged);
        this.evictOnCommit = evictOnCommit;
    }

    @Override
    public V get(final String key) {
        final V value = live.get(key);
        if (value != null || deleted.contains(key)) {
            return value;
        }
        final V stored = logged.get(key);
        if (stored != null) {
            live.put(key, stored);
        } else {
            lastMiss = key;
        }
        return stored;
    }

    @Override
    public void put(final String key, final V value) {
        if (value == null) {
            delete(key);
            return;
        }
        if (!live.containsKey(key) && !deleted.contains(key) && (key.equals(lastMiss) || logged.get(key) == null)) {
            fresh.add(key);
        }
        live.put(key, value);
        changed.add(key);
        deleted.remove(key);
    }

    @Override
    public V putIfAbsent(final String key, final V value) {
        final V existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(final List<KeyValue<String, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(final String key) {
        final V previous = get(key);
        live.remove(key);
        changed.remove(key);
        if (!fresh.remove(key)) {
            deleted.add(key);
        }
        return previous;
    }

    /** Writes what changed since the last commit into the logged store, which sends it to the changelog. */
    private void writeBehind() {
        for (String key : changed) {
            logged.put(key, live.get(key));
        }
        for (String key : deleted) {
            logged.delete(key);
        }
        changed.clear();
        deleted.clear();
        fresh.clear();
        lastMiss = null;
        if (evictOnCommit) {
            live.clear();
        }
    }

    /** Called while Kafka Streams prepares a commit, before the transaction: the changelog gets what the offsets cover. */
    @Override
    public void flushCache() {
        writeBehind();
    }

    /** Called when a task closes dirty: what was not written behind belongs to a transaction that will not commit. */
    @Override
    public void clearCache() {
        live.clear();
        fresh.clear();
        changed.clear();
        deleted.clear();
        lastMiss = null;
    }

    @Override
    public KeyValueIterator<String, V> range(final String from, final String to) {
        writeBehind();
        return logged.range(from, to);
    }

    /** Every entry, the changes of the current commit interval included. */
    @Override
    public KeyValueIterator<String, V> all() {
        writeBehind();
        return logged.all();
    }

    @Override
    public long approximateNumEntries() {
        return logged.approximateNumEntries() + changed.size();
    }
}
