package io.monitml.state;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/** Builds a {@link WriteBehindStore} over an in-memory, changelogged key-value store. */
public final class WriteBehindStoreBuilder<V> extends PreCommitStoreBuilder<WriteBehindStore<V>, String, V> {

    public WriteBehindStoreBuilder(final String name, final Serde<V> valueSerde) {
        this(Stores.inMemoryKeyValueStore(name), valueSerde, false);
    }

    private WriteBehindStoreBuilder(final KeyValueBytesStoreSupplier supplier, final Serde<V> valueSerde, final boolean evictOnCommit) {
        super(Stores.keyValueStoreBuilder(supplier, Serdes.String(), valueSerde), logged -> new WriteBehindStore<>(logged, evictOnCommit));
    }

    /**
     * Over a RocksDB store, holding in memory only what changed since the last commit: for entries
     * that mostly live less than a commit interval, while the others may be many.
     */
    public static <V> WriteBehindStoreBuilder<V> persistent(final String name, final Serde<V> valueSerde) {
        return new WriteBehindStoreBuilder<>(Stores.persistentKeyValueStore(name), valueSerde, true);
    }
}
