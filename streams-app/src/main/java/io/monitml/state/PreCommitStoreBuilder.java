package io.monitml.state;

import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds a {@link PreCommitStore} over a changelogged key-value store. Caching is the store's own
 * job, so the store underneath has none; logging settings go to it.
 *
 * @param <T> the store built
 * @param <K> the logged store's keys
 * @param <V> the logged store's values
 */
public class PreCommitStoreBuilder<T extends PreCommitStore<K, V>, K, V> implements StoreBuilder<T> {

    private final StoreBuilder<KeyValueStore<K, V>> logged;
    private final Function<KeyValueStore<K, V>, T> store;

    /**
     * @param logged the key-value store underneath
     * @param store  the store over it
     */
    public PreCommitStoreBuilder(final StoreBuilder<KeyValueStore<K, V>> logged, final Function<KeyValueStore<K, V>, T> store) {
        this.logged = logged.withCachingDisabled().withLoggingEnabled(Map.of());
        this.store = store;
    }

    @Override
    public StoreBuilder<T> withCachingEnabled() {
        return this;
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingEnabled(final Map<String, String> config) {
        logged.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingDisabled() {
        logged.withLoggingDisabled();
        return this;
    }

    @Override
    public T build() {
        return store.apply(logged.build());
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
