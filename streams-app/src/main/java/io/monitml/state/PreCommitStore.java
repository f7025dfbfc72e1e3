package io.monitml.state;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store that keeps what changes in memory and writes it to a logged key-value store underneath
 * while Kafka Streams prepares a commit, before the transaction, so that the changelog holds what
 * the committed offsets cover. Kafka Streams (4.x) commits its stores ({@link #commit}) only after
 * the transaction; before it, it flushes the stores that cache ({@link CachedStateStore#flushCache()}),
 * as its own caching layer does: so such a store is one, though nothing downstream listens to its
 * writes. On a dirty close ({@link #clearCache()}) what was not written is dropped: it may belong to
 * a transaction that will not commit. {@code CatchUpIT} fails if the hook moves.
 *
 * @param <K> the logged store's keys
 * @param <V> the logged store's values
 */
public abstract class PreCommitStore<K, V> implements StateStore, CachedStateStore<K, V> {

    /** The logged store underneath, which sends what is written to it to the changelog. */
    protected final KeyValueStore<K, V> logged;

    protected PreCommitStore(final KeyValueStore<K, V> logged) {
        this.logged = logged;
    }

    /** Writes what changed since the last commit into the logged store; called before the transaction commits. */
    @Override
    public abstract void flushCache();

    /** Drops what was not written: called when the task closes dirty, and on close. */
    @Override
    public abstract void clearCache();

    @Override
    public boolean setFlushListener(final CacheFlushListener<K, V> listener, final boolean sendOldValues) {
        return false;
    }

    @Override
    public void commit(final Map<TopicPartition, Long> changelogOffsets) {
        flushCache();
        logged.commit(changelogOffsets);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        flushCache();
        logged.flush();
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
    public Position getPosition() {
        return logged.getPosition();
    }

    @Override
    public <R> QueryResult<R> query(final Query<R> query, final PositionBound positionBound, final QueryConfig config) {
        return logged.query(query, positionBound, config);
    }
}
