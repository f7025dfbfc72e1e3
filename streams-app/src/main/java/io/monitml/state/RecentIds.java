package io.monitml.state;

import java.util.Arrays;

/**
 * The ids seen within about the last span of event time, in memory, so that a duplicate is
 * recognised without keeping a store entry (a write and a changelog record) per id: the pairing
 * stage remembers the inferences it paired, the stage before the statistics the events it counted.
 * Two generations of 64-bit hashes of the ids, each spanning one span of event time: an id is
 * remembered for between one and two spans. Hand-written rather than a collection library's long
 * set because it is 40 lines and needs no dependency: open addressing over a {@code long[]}, 16 bytes
 * per id at most, no object per id. Two ids collide with a probability of about n / 2^64 for n ids held.
 *
 * <p>Bounded: a generation holds at most {@code maxPerGeneration} ids; when the current one is full
 * it turns over early, so that under a very high rate the ids are remembered for less than the span.
 * Kept across restarts by {@link RecentIdsStore}, which writes each commit's new ids behind.
 */
public final class RecentIds {

    private static final long EMPTY = 0L;
    private static final int INITIAL_SLOTS = 1 << 10;

    private final long spanMillis;
    private final int maxPerGeneration;
    private long[] current = new long[INITIAL_SLOTS];
    private int currentSize;
    private long[] previous = new long[INITIAL_SLOTS];
    private long generationStart = Long.MIN_VALUE;

    public RecentIds(final long spanMillis, final int maxPerGeneration) {
        this.spanMillis = spanMillis;
        this.maxPerGeneration = maxPerGeneration;
    }

    /** Remembers an id by its {@link #hash}, as seen at that event time. */
    public void add(final long hash, final long eventTime) {
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

    /** Whether the id of that {@link #hash} was seen within about the span before {@code eventTime}. */
    public boolean contains(final long hash, final long eventTime) {
        turnOver(eventTime);
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

    /** An id's hash: 64-bit FNV-1a of its characters, finished with a mix so that the low bits spread; never {@link #EMPTY}. */
    public static long hash(final String id) {
        return finish(mix(OFFSET_BASIS, id));
    }

    /** The hash of an id made of three parts: not the hash of their concatenation, a separator outside the characters is mixed in between. */
    public static long hash(final String first, final String second, final String third) {
        return finish(mix((mix((mix(OFFSET_BASIS, first) ^ SEPARATOR) * PRIME, second) ^ SEPARATOR) * PRIME, third));
    }

    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final long SEPARATOR = 0x1_0000L;

    private static long mix(final long start, final String text) {
        long hash = start;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * PRIME;
        }
        return hash;
    }

    private static long finish(final long fnv) {
        long hash = fnv;
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash == EMPTY ? 1 : hash;
    }
}
