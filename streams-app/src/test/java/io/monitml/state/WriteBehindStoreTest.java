package io.monitml.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** What reaches the logged store (and so the changelog) underneath; the real store is exercised by the topology tests. */
class WriteBehindStoreTest {

    private final Logged logged = new Logged();

    @Test
    void shouldNeverWriteAnEntryPutAndDeletedWithinOneInterval() {
        final WriteBehindStore<String> store = new WriteBehindStore<>(logged, true);
        assertThat(store.get("paired")).isNull();
        store.put("paired", "request");
        store.put("paired", "request+response");
        store.delete("paired");
        store.put("waiting", "request");
        store.commit(Map.of());

        assertThat(logged.writes).containsExactly("put waiting");
    }

    @Test
    void shouldDeleteWhatAnEarlierIntervalWroteAndEvictWhatItWrote() {
        final WriteBehindStore<String> store = new WriteBehindStore<>(logged, true);
        store.put("waiting", "request");
        store.commit(Map.of());
        assertThat(store.get("waiting")).isEqualTo("request");
        assertThat(logged.reads).as("evicted at the commit: read back from the logged store").isEqualTo(1);

        store.put("waiting", "request+response");
        store.delete("waiting");
        store.commit(Map.of());

        assertThat(logged.writes).containsExactly("put waiting", "delete waiting");
        assertThat(logged.map).isEmpty();
    }

    @Test
    void shouldKeepLiveObjectsAcrossCommitsWhenNotEvicting() {
        final WriteBehindStore<String> store = new WriteBehindStore<>(logged, false);
        store.put("partial", "a");
        store.commit(Map.of());
        assertThat(store.get("partial")).isEqualTo("a");
        assertThat(logged.reads).isZero();
    }

    /** A map that records what is written to it. */
    private static final class Logged implements KeyValueStore<String, String> {
        final Map<String, String> map = new HashMap<>();
        final List<String> writes = new ArrayList<>();
        int reads;

        @Override
        public String get(final String key) {
            final String value = map.get(key);
            if (value != null) {
                reads++;
            }
            return value;
        }

        @Override
        public void put(final String key, final String value) {
            writes.add("put " + key);
            map.put(key, value);
        }

        @Override
        public String delete(final String key) {
            writes.add("delete " + key);
            return map.remove(key);
        }

        @Override
        public String putIfAbsent(final String key, final String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void putAll(final List<KeyValue<String, String>> entries) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, String> range(final String from, final String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, String> all() {
            final Iterator<Map.Entry<String, String>> entries = new TreeMap<>(map).entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public void close() {
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public KeyValue<String, String> next() {
                    final Map.Entry<String, String> entry = entries.next();
                    return KeyValue.pair(entry.getKey(), entry.getValue());
                }
            };
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        @Override
        public String name() {
            return "logged";
        }

        @Override
        public void init(final StateStoreContext context, final StateStore root) {
        }

        @Override
        public void commit(final Map<org.apache.kafka.common.TopicPartition, Long> changelogOffsets) {
        }

        @Override
        @SuppressWarnings("deprecation")
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public org.apache.kafka.streams.query.Position getPosition() {
            return org.apache.kafka.streams.query.Position.emptyPosition();
        }

        @Override
        public <R> org.apache.kafka.streams.query.QueryResult<R> query(final org.apache.kafka.streams.query.Query<R> query,
                                                                       final org.apache.kafka.streams.query.PositionBound positionBound,
                                                                       final org.apache.kafka.streams.query.QueryConfig config) {
            throw new UnsupportedOperationException();
        }
    }
}
