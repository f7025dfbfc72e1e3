package io.monitml.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The request ids paired within about the last pairing wait, in memory, so that a duplicate half
 * that comes after its inference was paired is recognised without keeping a store entry (a write and
 * a changelog record) per paired inference. Two generations of 64-bit hashes of the ids, each spanning
 * one wait of event time: an id is remembered for between one and two waits. Hand-written rather
 * than a collection library's long set because it is 40 lines and needs no dependency: open
 * addressing over a {@code long[]}, 16 bytes per id at most, no object per id.
 *
 * <p>Bounded: a generation holds at most {@code maxPerGeneration} ids; when the current one is full
 * it turns over early, so that under a very high rate the ids are remembered for less than the wait.
 * Kept across restarts by {@link RecentPairsStore}, which writes each commit's new ids behind.
 */
final class RecentPairs {

    private static final long EMPTY = 0L;
    private static final int INITIAL_SLOTS = 1 << 10;

    private final long spanMillis;
    private final int maxPerGeneration;
    private long[] current = new long[INITIAL_SLOTS];
    private int currentSize;
    private long[] previous = new long[INITIAL_SLOTS];
    private long generationStart = Long.MIN_VALUE;

    RecentPairs(final long spanMillis, final int maxPerGeneration) {
        this.spanMillis = spanMillis;
        this.maxPerGeneration = maxPerGeneration;
    }

    /** Remembers the id as paired at that event time; returns its hash. */
    long add(final String requestId, final long eventTime) {
        final long hash = hash(requestId);
        addHash(hash, eventTime);
        return hash;
    }

    /** Remembers an id by its {@link #hash}, as paired at that event time: when it is read back after a restart. */
    void addHash(final long hash, final long eventTime) {
        turnOver(eventTime);
        if (currentSize >= maxPerGeneration) {
            previous = current;
            current = new long[INITIAL_SLOTS];
            currentSize = 0;
            generationStart = eventTime;
        }
        if (insert(current, hash)) {
            currentSize++;
            if (currentSize * 2 > current.length) {
                current = grown(current);
            }
        }
    }

    /** Whether the id was paired within about the span before {@code eventTime}. */
    boolean contains(final String requestId, final long eventTime) {
        turnOver(eventTime);
        final long hash = hash(requestId);
        return contains(current, hash) || contains(previous, hash);
    }

    private void turnOver(final long eventTime) {
        if (generationStart == Long.MIN_VALUE) {
            generationStart = eventTime;
        } else if (eventTime - generationStart >= spanMillis) {
            // Older than two spans: nothing of the previous generation is needed any more.
            previous = eventTime - generationStart >= 2 * spanMillis ? new long[INITIAL_SLOTS] : current;
            current = new long[INITIAL_SLOTS];
            currentSize = 0;
            generationStart = eventTime;
        }
    }

    private static boolean insert(final long[] table, final long hash) {
        final int mask = table.length - 1;
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            if (table[slot] == EMPTY) {
                table[slot] = hash;
                return true;
            }
            if (table[slot] == hash) {
                return false;
            }
        }
    }

    private static boolean contains(final long[] table, final long hash) {
        final int mask = table.length - 1;
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            if (table[slot] == EMPTY) {
                return false;
            }
            if (table[slot] == hash) {
                return true;
            }
        }
    }

    private static long[] grown(final long[] table) {
        final long[] bigger = new long[table.length * 2];
        Arrays.stream(table).filter(hash -> hash != EMPTY).forEach(hash -> insert(bigger, hash));
        return bigger;
    }

    /** 64-bit FNV-1a of the UTF-8 bytes, finished with a mix so that the low bits spread; never {@link #EMPTY}. */
    static long hash(final String requestId) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash == EMPTY ? 1 : hash;
    }
}
