package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restarted pairing stage reads back: the ids written behind at each commit and its event
 * time, not what was added after the last commit, and nothing older than two spans. Each "restart"
 * is a new store over the same RocksDB directory (the changelog's restore is Kafka Streams' to do).
 */
class RecentPairsStoreTest {

    private static final long SPAN = 1_000;

    @TempDir
    Path stateDir;

    @Test
    void shouldReadBackTheCommittedIdsAndEventTimeAfterARestart() {
        final RecentPairsStore before = open();
        before.add("paired-and-committed", 100);
        before.latestEventTime(150);
        before.flushCache();
        before.add("paired-after-the-last-commit", 160);
        before.close();

        final RecentPairsStore after = open();
        assertThat(after.contains("paired-and-committed", 200)).isTrue();
        assertThat(after.contains("paired-after-the-last-commit", 200)).as("never committed").isFalse();
        assertThat(after.latestEventTime()).isEqualTo(150);
        after.close();
    }

    @Test
    void shouldForgetWhatADirtyCloseDropsAndPruneBatchesOlderThanTwoSpans() {
        final RecentPairsStore store = open();
        store.add("old", 0);
        store.flushCache();
        store.add("aborted", 10);
        store.clearCache();
        store.flushCache();
        store.load();
        assertThat(store.contains("old", 10)).isTrue();
        assertThat(store.contains("aborted", 10)).as("its transaction did not commit").isFalse();

        assertThat(store.storedBatches()).isEqualTo(1);

        store.add("new", 5 * SPAN);
        store.flushCache();
        assertThat(store.storedBatches()).as("the batch two spans old deleted from the store").isEqualTo(1);
        store.close();

        final RecentPairsStore reopened = open();
        assertThat(reopened.contains("new", 5 * SPAN)).isTrue();
        reopened.close();
    }

    private RecentPairsStore open() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "recent-pairs-store-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        final MockProcessorContext<String, String> context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        final RecentPairsStore store = RecentPairsStore.builder("pairing-recent", SPAN, 1_000).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        store.load();
        return store;
    }
}
