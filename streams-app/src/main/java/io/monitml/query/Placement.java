package io.monitml.query;

import java.util.List;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;

/**
 * Where the application's state lives: which instance owns a key of a store, which instances
 * there are, and this instance's own stores. Every answer is immediate: state that cannot be read
 * now throws {@link StateNotReady} (or, once a store is open, Kafka Streams'
 * {@link InvalidStateStoreException}), never waits.
 */
interface Placement {

    /** This instance as the others reach it. */
    HostInfo self();

    /** The instance whose active task holds {@code key} in {@code store}. */
    HostInfo owner(String store, String key);

    /** Every instance of the application, this one included. */
    List<HostInfo> all();

    /** This instance's part of a store (all its active tasks' stores as one). */
    <T> T store(String name, QueryableStoreType<T> type);
}
