package io.monitml.state;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds a {@link WriteBehindStore} over an in-memory, changelogged key-value store. Caching is
 * the write-behind store's own job, so the store underneath has none.
 */
public final class WriteBehindStoreBuilder<V> implements StoreBuilder<WriteBehindStore<V>> {

    private final StoreBuilder<KeyValueStore<String, V>> logged;

    public WriteBehindStoreBuilder(final String name, final Serde<V> valueSerde) {
        this.logged = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), valueSerde)
            .withCachingDisabled()
            .withLoggingEnabled(Map.of());
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
        return new WriteBehindStore<>(logged.build());
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
