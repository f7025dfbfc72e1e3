package io.monitml.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.monitml.state.PreCommitStore;
import io.monitml.state.PreCommitStoreBuilder;

/**
 * The pairing stage's memory across restarts: the ids it paired recently ({@link RecentPairs}), so
 * that the late duplicate half of an inference paired before a restart or a rebalance is counted as
 * a duplicate, not left to wait alone and be reported unpaired; and the stage's latest event time,
 * so that a restarted stage measures the pairing wait from where it was, not from a record's clock.
 *
 * <p>The ids of each commit interval are written as one record (their 64-bit hashes, keyed by the
 * interval's latest event time and a sequence number) to a logged RocksDB store while Kafka Streams
 * prepares the commit ({@link PreCommitStore}), so that the changelog holds the ids of
 * exactly the committed pairs: one write per task and commit instead of one per inference. Records
 * older than two spans are deleted; at start the processor {@link #load()}s the rest back.
 */
final class RecentPairsStore extends PreCommitStore<Bytes, byte[]> {

    /** The latest event time's key: one byte, which sorts before every 16-byte batch key. */
    private static final Bytes CLOCK_KEY = Bytes.wrap(new byte[] {0});
    private static final Bytes FIRST_BATCH = Bytes.wrap(new byte[2 * Long.BYTES]);

    private final long spanMillis;
    private final int maxPerGeneration;
    private RecentPairs pairs;
    private long[] added = new long[64];
    private int addedCount;
    private long addedTime = Long.MIN_VALUE;
    private long sequence;
    private long latestEventTime = Long.MIN_VALUE;
    private boolean clockChanged;
    /** The oldest batch time that may still be stored, so that a pruning pass runs only when something has aged. */
    private long oldestStored = Long.MAX_VALUE;

    private RecentPairsStore(final KeyValueStore<Bytes, byte[]> logged, final long spanMillis, final int maxPerGeneration) {
        super(logged);
        this.spanMillis = spanMillis;
        this.maxPerGeneration = maxPerGeneration;
        this.pairs = new RecentPairs(spanMillis, maxPerGeneration);
    }

    /** Whether the id was paired within about the span before {@code eventTime}. */
    boolean contains(final String requestId, final long eventTime) {
        return pairs.contains(requestId, eventTime);
    }

    /** Remembers the id as paired at {@code eventTime}; written behind at the next commit. */
    void add(final String requestId, final long eventTime) {
        if (addedCount == added.length) {
            added = Arrays.copyOf(added, added.length * 2);
        }
        added[addedCount++] = pairs.add(requestId, eventTime);
        addedTime = Math.max(addedTime, eventTime);
    }

    /** The stage's latest event time as last committed, {@link Long#MIN_VALUE} before the first. */
    long latestEventTime() {
        return latestEventTime;
    }

    void latestEventTime(final long time) {
        if (time != latestEventTime) {
            latestEventTime = time;
            clockChanged = true;
        }
    }

    /** Reads what the last commits left (after a restart, a rebalance, a corrupted task): the processor calls it at init. */
    void load() {
        pairs = new RecentPairs(spanMillis, maxPerGeneration);
        addedCount = 0;
        addedTime = Long.MIN_VALUE;
        clockChanged = false;
        latestEventTime = Long.MIN_VALUE;
        oldestStored = Long.MAX_VALUE;
        sequence = 0;
        try (KeyValueIterator<Bytes, byte[]> all = logged.all()) {
            all.forEachRemaining(entry -> {
                if (entry.key.equals(CLOCK_KEY)) {
                    latestEventTime = ByteBuffer.wrap(entry.value).getLong();
                    return;
                }
                final ByteBuffer key = ByteBuffer.wrap(entry.key.get());
                final long time = key.getLong();
                sequence = Math.max(sequence, key.getLong() + 1);
                oldestStored = Math.min(oldestStored, time);
                final ByteBuffer hashes = ByteBuffer.wrap(entry.value);
                while (hashes.remaining() >= Long.BYTES) {
                    pairs.addHash(hashes.getLong(), time);
                }
            });
        }
    }

    /** The batches of ids in the store underneath (for tests: that old ones are deleted). */
    int storedBatches() {
        int batches = 0;
        try (KeyValueIterator<Bytes, byte[]> all = logged.all()) {
            while (all.hasNext()) {
                batches += all.next().key.equals(CLOCK_KEY) ? 0 : 1;
            }
        }
        return batches;
    }

    /** Called while Kafka Streams prepares a commit, before the transaction: the ids of the pairs it commits. */
    @Override
    public void flushCache() {
        if (addedCount > 0) {
            final ByteBuffer hashes = ByteBuffer.allocate(addedCount * Long.BYTES);
            for (int i = 0; i < addedCount; i++) {
                hashes.putLong(added[i]);
            }
            logged.put(batchKey(addedTime, sequence++), hashes.array());
            oldestStored = Math.min(oldestStored, addedTime);
            addedCount = 0;
            prune(addedTime - 2 * spanMillis);
        }
        if (clockChanged) {
            logged.put(CLOCK_KEY, ByteBuffer.allocate(Long.BYTES).putLong(latestEventTime).array());
            clockChanged = false;
        }
    }

    /** Deletes the batches older than {@code cutoff}: {@link RecentPairs} has forgotten them. */
    private void prune(final long cutoff) {
        if (oldestStored >= cutoff || cutoff <= 0) {
            return;
        }
        final List<Bytes> old = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> batches = logged.range(FIRST_BATCH, batchKey(cutoff - 1, Long.MAX_VALUE))) {
            batches.forEachRemaining((KeyValue<Bytes, byte[]> entry) -> old.add(entry.key));
        }
        old.forEach(logged::delete);
        oldestStored = cutoff;
    }

    private static Bytes batchKey(final long time, final long sequence) {
        return Bytes.wrap(ByteBuffer.allocate(2 * Long.BYTES).putLong(Math.max(0L, time)).putLong(sequence).array());
    }

    /** Called when a task closes dirty: the ids not written belong to a transaction that will not commit; {@link #load()} follows. */
    @Override
    public void clearCache() {
        addedCount = 0;
        clockChanged = false;
    }

    /** A builder over a logged RocksDB store. */
    static StoreBuilder<RecentPairsStore> builder(final String name, final long spanMillis, final int maxPerGeneration) {
        return new PreCommitStoreBuilder<>(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray()),
            logged -> new RecentPairsStore(logged, spanMillis, maxPerGeneration));
    }
}
