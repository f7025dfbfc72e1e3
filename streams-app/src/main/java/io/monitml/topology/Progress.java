package io.monitml.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The event-time progress a partial stage's task announces to every task of the merging stage,
 * after the partials it covers: a record keyed by the announcing source (stage and task), with no
 * value and the progress in a header. Once it has announced progress {@code p}, the source sends no
 * partial of a window whose end plus grace is at most {@code p} (it counts such events late itself),
 * so the merging stage may close a window once every active source has announced at least its end
 * plus grace: a watermark, the minimum over the inputs rather than Kafka Streams' stream time, which
 * is the maximum and lets a fast partition close the windows of a slow one.
 */
final class Progress {

    static final String HEADER = "monitml.progress";
    private static final int LENGTH = Long.BYTES + 1;

    /**
     * @param time the source's progress: every event it accepted later was no older than a window
     *             whose end plus grace is after this time
     * @param idle whether the source's input has been silent for the idle timeout, so that it holds no window back
     */
    record Announcement(long time, boolean idle) {
    }

    private Progress() {
    }

    static Headers headers(final long time, final boolean idle) {
        final byte[] value = ByteBuffer.allocate(LENGTH).putLong(time).put((byte) (idle ? 1 : 0)).array();
        return new RecordHeaders().add(HEADER, value);
    }

    /** The announcement a record carries, or empty when the record is not one (a partial, or a record of an older version). */
    static Optional<Announcement> of(final Headers headers) {
        final Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null || header.value().length != LENGTH) {
            return Optional.empty();
        }
        final ByteBuffer buffer = ByteBuffer.wrap(header.value());
        return Optional.of(new Announcement(buffer.getLong(), buffer.get() != 0));
    }

    /**
     * Partitions the stream of partials and announcements: a partial by its unit key, as Kafka's
     * default partitioner and Kafka Streams' key queries place it, an announcement (no value) to every partition.
     */
    static <V> StreamPartitioner<String, V> partitioner() {
        return (topic, key, value, partitions) -> value == null
            ? Optional.of(all(partitions))
            : Optional.of(Set.of(Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions));
    }

    private static Set<Integer> all(final int partitions) {
        return IntStream.range(0, partitions).boxed().collect(Collectors.toUnmodifiableSet());
    }
}
