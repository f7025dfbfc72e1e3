package io.monitml.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restarted stage reads back: the ids written behind at each commit and its event
 * time, not what was added after the last commit, and nothing older than two spans. Each "restart"
 * is a new store over the same RocksDB directory (the changelog's restore is Kafka Streams' to do).
 */
class RecentIdsStoreTest {

    private static final long SPAN = 1_000;

    @TempDir
    Path stateDir;

    @Test
    void shouldReadBackTheCommittedIdsAndEventTimeAfterARestart() {
        final RecentIdsStore before = open();
        before.add(RecentIds.hash("paired-and-committed"), 100);
        before.latestEventTime(150);
        before.flushCache();
        before.add(RecentIds.hash("paired-after-the-last-commit"), 160);
        before.close();

        final RecentIdsStore after = open();
        assertThat(after.contains(RecentIds.hash("paired-and-committed"), 200)).isTrue();
        assertThat(after.contains(RecentIds.hash("paired-after-the-last-commit"), 200)).as("never committed").isFalse();
        assertThat(after.latestEventTime()).isEqualTo(150);
        after.close();
    }

    @Test
    void shouldForgetWhatADirtyCloseDropsAndPruneBatchesOlderThanTwoSpans() {
        final RecentIdsStore store = open();
        store.add(RecentIds.hash("old"), 0);
        store.flushCache();
        store.add(RecentIds.hash("aborted"), 10);
        store.clearCache();
        store.flushCache();
        store.load();
        assertThat(store.contains(RecentIds.hash("old"), 10)).isTrue();
        assertThat(store.contains(RecentIds.hash("aborted"), 10)).as("its transaction did not commit").isFalse();

        assertThat(store.storedBatches()).isEqualTo(1);

        store.add(RecentIds.hash("new"), 5 * SPAN);
        store.flushCache();
        assertThat(store.storedBatches()).as("the batch two spans old deleted from the store").isEqualTo(1);
        store.close();

        final RecentIdsStore reopened = open();
        assertThat(reopened.contains(RecentIds.hash("new"), 5 * SPAN)).isTrue();
        reopened.close();
    }

    @Test
    void shouldWriteALargeCommitInRecordsOfBoundedSizeAndReadThemAllBack() {
        final RecentIdsStore store = open();
        final int ids = RecentIdsStore.IDS_PER_RECORD * 2 + 1;
        for (int i = 0; i < ids; i++) {
            store.add(RecentIds.hash("id-" + i), 100);
        }
        store.flushCache();
        assertThat(store.storedBatches()).as("records of at most %d ids", RecentIdsStore.IDS_PER_RECORD).isEqualTo(3);
        store.close();

        final RecentIdsStore reopened = open();
        assertThat(reopened.contains(RecentIds.hash("id-0"), 200)).isTrue();
        assertThat(reopened.contains(RecentIds.hash("id-" + (ids - 1)), 200)).isTrue();
        assertThat(reopened.addIfNew(RecentIds.hash("id-7"), 200)).isFalse();
        assertThat(reopened.addIfNew(RecentIds.hash("id-" + ids), 200)).isTrue();
        reopened.close();
    }

    private RecentIdsStore open() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "recent-ids-store-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        final MockProcessorContext<String, String> context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        final RecentIdsStore store = RecentIdsStore.builder("recent-ids", SPAN, 1 << 20).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        store.load();
        return store;
    }
}
