package io.monitml.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** What the per-partition buffers of partial aggregates share: their keys, window starts and flushing. */
final class PartialBuffers {

    private static final char WINDOW_SEPARATOR = '@';

    private PartialBuffers() {
    }

    /** The start of the tumbling window holding {@code timestamp}, aligned to the epoch as Kafka Streams aligns its windows. */
    static long windowStart(final long timestamp, final long windowSizeMs) {
        return timestamp - Math.floorMod(timestamp, windowSizeMs);
    }

    /** True when the window of {@code windowStart} closed already: its end plus grace is behind the stream time. */
    static boolean closed(final long windowStart, final long windowSizeMs, final long graceMs, final long streamTime) {
        return windowStart + windowSizeMs + graceMs <= streamTime;
    }

    static String key(final String unitKey, final long windowStart) {
        return unitKey + WINDOW_SEPARATOR + windowStart;
    }

    /**
     * Hands every buffered partial of a window that has begun by {@code now} to {@code forward},
     * oldest window first, and removes it from the buffer. The order matters when a flush spans
     * windows (catching up, replaying): the merging stage's stream time follows the partials, so a
     * later window of one unit sent before an earlier window of another would close the earlier one
     * before its partial arrives. A window that starts after {@code now} (an event a little ahead of
     * this instance's clock) stays until a later flush, so that no partial moves the merging stage's
     * stream time past the clock.
     */
    static <A> void flush(final KeyValueStore<String, A> buffer, final long now, final Consumer<A> forward) {
        final List<KeyValue<String, A>> pending = new ArrayList<>();
        try (KeyValueIterator<String, A> all = buffer.all()) {
            all.forEachRemaining(entry -> {
                if (windowStartOf(entry.key) <= now) {
                    pending.add(entry);
                }
            });
        }
        pending.sort(Comparator.comparingLong((KeyValue<String, A> entry) -> windowStartOf(entry.key)));
        for (final KeyValue<String, A> entry : pending) {
            forward.accept(entry.value);
        }
        pending.forEach(entry -> buffer.delete(entry.key));
    }

    private static long windowStartOf(final String key) {
        return Long.parseLong(key.substring(key.lastIndexOf(WINDOW_SEPARATOR) + 1));
    }

    /**
     * Stores live windows as their Avro partials: the write-behind buffer calls it once per commit,
     * not per record.
     */
    static <W, A> Serde<W> viaAvro(final Serde<A> avro, final Function<W, A> toAvro, final Function<A, W> fromAvro) {
        return Serdes.serdeFrom(
            (topic, window) -> window == null ? null : avro.serializer().serialize(topic, toAvro.apply(window)),
            (topic, bytes) -> bytes == null ? null : fromAvro.apply(avro.deserializer().deserialize(topic, bytes)));
    }
}
