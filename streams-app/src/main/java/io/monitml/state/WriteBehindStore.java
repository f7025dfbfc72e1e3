package io.monitml.state;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store of mutable aggregates (sketches, counters) kept as live objects and written
 * to the logged store underneath only when Kafka Streams commits, not on every update, while a
 * record costs a map lookup instead of serializing the aggregate.
 *
 * <p>What it holds must reach the changelog in the transaction that commits the input offsets, or
 * a crash restores a store that does not match them: updates lost, or partials flushed and deleted
 * coming back to be counted twice. Kafka Streams (4.x) commits its stores ({@link #commit}) only
 * after the transaction; before it, in the commit's preparation, it flushes the stores that cache
 * ({@link CachedStateStore#flushCache()}), so this store is one: it writes behind there. Kafka
 * Streams' own caching layer works the same way; {@code CatchUpIT} fails if the hook moves. On a
 * dirty close ({@link #clearCache()}) the live objects are dropped, since they may hold updates
 * of an aborted transaction.
 *
 * <p>Callers mutate what {@link #get} returns and {@link #put} it back to mark it changed.
 *
 * <p>An entry put and deleted again within one commit interval never reaches the logged store: no
 * write, no changelog record (the pairing store's usual entry: a request whose response comes within
 * the interval). When built to evict, the live objects are dropped at each commit once written, so
 * that memory holds one interval's entries and the logged store the rest.
 */
public final class WriteBehindStore<V> implements KeyValueStore<String, V>, CachedStateStore<String, V> {

    private final KeyValueStore<String, V> logged;
    private final Map<String, V> live = new HashMap<>();
    private final Set<String> changed = new HashSet<>();
    private final Set<String> deleted = new HashSet<>();
    /** Keys put in this interval that the logged store does not hold: deleting them needs no write. */
    private final Set<String> fresh = new HashSet<>();
    private final boolean evictOnCommit;
    /** The last key the logged store did not hold, so that the put after a missed get needs no second lookup. */
    private String lastMiss;

    WriteBehindStore(final KeyValueStore<String, V> logged, final boolean evictOnCommit) {
        this.logged = logged;
        this.evictOnCommit = evictOnCommit;
    }

    @Override
    public String name() {
        return logged.name();
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        logged.init(context, root);
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

    /** Nothing downstream listens to this store's writes. */
    @Override
    public boolean setFlushListener(final CacheFlushListener<String, V> listener, final boolean sendOldValues) {
        return false;
    }

    @Override
    public void commit(final Map<TopicPartition, Long> changelogOffsets) {
        writeBehind();
        logged.commit(changelogOffsets);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        writeBehind();
        logged.flush();
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

    @Override
    public void close() {
        clearCache();
        logged.close();
    }

    @Override
    public boolean persistent() {
        return logged.persistent();
    }

    @Override
    public boolean isOpen() {
        return logged.isOpen();
    }

    @Override
    public org.apache.kafka.streams.query.Position getPosition() {
        return logged.getPosition();
    }

    @Override
    public <R> org.apache.kafka.streams.query.QueryResult<R> query(final org.apache.kafka.streams.query.Query<R> query,
                                                                   final org.apache.kafka.streams.query.PositionBound positionBound,
                                                                   final org.apache.kafka.streams.query.QueryConfig config) {
        return logged.query(query, positionBound, config);
    }
}
