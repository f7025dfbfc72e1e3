package io.monitml.state;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds a {@link WriteBehindStore} over an in-memory, changelogged key-value store. Caching is
 * the write-behind store's own job, so the store underneath has none.
 */
public final class WriteBehindStoreBuilder<V> implements StoreBuilder<WriteBehindStore<V>> {

    private final StoreBuilder<KeyValueStore<String, V>> logged;
    private final boolean evictOnCommit;

    public WriteBehindStoreBuilder(final String name, final Serde<V> valueSerde) {
        this(Stores.inMemoryKeyValueStore(name), valueSerde, false);
    }

    private WriteBehindStoreBuilder(final KeyValueBytesStoreSupplier supplier, final Serde<V> valueSerde, final boolean evictOnCommit) {
        this.logged = Stores.keyValueStoreBuilder(supplier, Serdes.String(), valueSerde)
            .withCachingDisabled()
            .withLoggingEnabled(Map.of());
        this.evictOnCommit = evictOnCommit;
    }

    /**
     * Over a RocksDB store, holding in memory only what changed since the last commit: for entries
     * that mostly live less than a commit interval, while the others may be many.
     */
    public static <V> WriteBehindStoreBuilder<V> persistent(final String name, final Serde<V> valueSerde) {
        return new WriteBehindStoreBuilder<>(Stores.persistentKeyValueStore(name), valueSerde, true);
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withCachingEnabled() {
        return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withLoggingEnabled(final Map<String, String> config) {
        logged.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withLoggingDisabled() {
        logged.withLoggingDisabled();
        return this;
    }

    @Override
    public WriteBehindStore<V> build() {
        return new WriteBehindStore<>(logged.build(), evictOnCommit);
    }

    @Override
    public Map<String, String> logConfig() {
        return logged.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return logged.loggingEnabled();
    }

    @Override
    public String name() {
        return logged.name();
    }
}
