package io.monitml.topology;

import java.util.ArrayList;
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

    /** Hands every buffered partial to {@code forward}, then empties the buffer. */
    static <A> void flush(final KeyValueStore<String, A> buffer, final Consumer<A> forward) {
        final List<String> flushed = new ArrayList<>();
        try (KeyValueIterator<String, A> pending = buffer.all()) {
            while (pending.hasNext()) {
                final KeyValue<String, A> entry = pending.next();
                forward.accept(entry.value);
                flushed.add(entry.key);
            }
        }
        flushed.forEach(buffer::delete);
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
