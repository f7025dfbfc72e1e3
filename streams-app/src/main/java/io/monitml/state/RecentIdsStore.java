package io.monitml.state;

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

/**
 * A stage's memory across restarts and rebalances: the ids it saw recently ({@link RecentIds}), so
 * that a duplicate that comes after a restart is still recognised, and the stage's latest event
 * time, so that a restarted stage measures its spans from where it was, not from a record's clock.
 * The pairing stage keeps the inferences it paired here; the stage before the statistics the events
 * it counted.
 *
 * <p>The ids of each commit interval are written as records of at most {@value #IDS_PER_RECORD}
 * 64-bit hashes (keyed by the interval's latest event time and a sequence number) to a logged
 * RocksDB store while Kafka Streams prepares the commit ({@link PreCommitStore}), so that the
 * changelog holds the ids of exactly what was committed: a write per task and commit (and per
 * {@value #IDS_PER_RECORD} ids) instead of one per id. Records older than two spans are deleted; at
 * start the processor {@link #load()}s the rest back.
 */
public final class RecentIdsStore extends PreCommitStore<Bytes, byte[]> {

    /** The latest event time's key: one byte, which sorts before every 16-byte batch key. */
    private static final Bytes CLOCK_KEY = Bytes.wrap(new byte[] {0});
    private static final Bytes FIRST_BATCH = Bytes.wrap(new byte[2 * Long.BYTES]);

    /** 512 KiB of hashes: a record well within Kafka's default limit of 1 MiB, whatever the commit interval. */
    static final int IDS_PER_RECORD = 1 << 16;

    private final long spanMillis;
    private final int maxPerGeneration;
    private RecentIds ids;
    private long[] added = new long[64];
    private int addedCount;
    private long addedTime = Long.MIN_VALUE;
    private long sequence;
    private long latestEventTime = Long.MIN_VALUE;
    private boolean clockChanged;
    /** The oldest batch time that may still be stored, so that a pruning pass runs only when something has aged. */
    private long oldestStored = Long.MAX_VALUE;

    private RecentIdsStore(final KeyValueStore<Bytes, byte[]> logged, final long spanMillis, final int maxPerGeneration) {
        super(logged);
        this.spanMillis = spanMillis;
        this.maxPerGeneration = maxPerGeneration;
        this.ids = new RecentIds(spanMillis, maxPerGeneration);
    }

    /** Whether the id of that {@link RecentIds#hash} was seen within about the span before {@code eventTime}. */
    public boolean contains(final long hash, final long eventTime) {
        return ids.contains(hash, eventTime);
    }

    /** Remembers the id of that {@link RecentIds#hash} as seen at {@code eventTime}; written behind at the next commit. */
    public void add(final long hash, final long eventTime) {
        if (addedCount == added.length) {
            added = Arrays.copyOf(added, added.length * 2);
        }
        ids.add(hash, eventTime);
        added[addedCount++] = hash;
        addedTime = Math.max(addedTime, eventTime);
    }

    /** Remembers the id unless it was seen within about the span: whether it was new. */
    public boolean addIfNew(final long hash, final long eventTime) {
        if (ids.contains(hash, eventTime)) {
            return false;
        }
        add(hash, eventTime);
        return true;
    }

    /** The stage's latest event time as last committed, {@link Long#MIN_VALUE} before the first. */
    public long latestEventTime() {
        return latestEventTime;
    }

    public void latestEventTime(final long time) {
        if (time != latestEventTime) {
            latestEventTime = time;
            clockChanged = true;
        }
    }

    /** Reads what the last commits left (after a restart, a rebalance, a corrupted task): the processor calls it at init. */
    public void load() {
        ids = new RecentIds(spanMillis, maxPerGeneration);
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
                    ids.add(hashes.getLong(), time);
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

    /** Called while Kafka Streams prepares a commit, before the transaction: the ids of what it commits. */
    @Override
    public void flushCache() {
        if (addedCount > 0) {
            for (int from = 0; from < addedCount; from += IDS_PER_RECORD) {
                final int to = Math.min(addedCount, from + IDS_PER_RECORD);
                final ByteBuffer hashes = ByteBuffer.allocate((to - from) * Long.BYTES);
                for (int i = from; i < to; i++) {
                    hashes.putLong(added[i]);
                }
                logged.put(batchKey(addedTime, sequence++), hashes.array());
            }
            oldestStored = Math.min(oldestStored, addedTime);
            addedCount = 0;
            prune(addedTime - 2 * spanMillis);
        }
        if (clockChanged) {
            logged.put(CLOCK_KEY, ByteBuffer.allocate(Long.BYTES).putLong(latestEventTime).array());
            clockChanged = false;
        }
    }

    /** Deletes the batches older than {@code cutoff}: {@link RecentIds} has forgotten them. */
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
    public static StoreBuilder<RecentIdsStore> builder(final String name, final long spanMillis, final int maxPerGeneration) {
        return new PreCommitStoreBuilder<>(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray()),
            logged -> new RecentIdsStore(logged, spanMillis, maxPerGeneration));
    }
}
