package io.monitml.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import io.monitml.config.TopologySettings;

/**
 * The merging stage: adds the partials of every input partition into one aggregate per (unit,
 * window) and forwards each window once, when the watermark has passed its end plus the grace. The
 * watermark is the minimum of the progress the active sources announced ({@link Progress}); a
 * source whose input is idle, or that has announced nothing for the stalled timeout, holds nothing
 * back; when no source is active it is the maximum of what they announced. It never goes back.
 *
 * <p>The merger does not know how many sources there are: it learns them from their announcements
 * (and from its store, after a restart). So that a source it has not heard from yet cannot be
 * overtaken, the watermark stays where it is for the idle timeout after the task starts: every
 * running source announces at each flush interval, and one that has said nothing by then counts as idle.
 *
 * <p>Kafka Streams' own windowed aggregation closes windows on stream time, the maximum over the
 * input partitions: after an outage the partition that catches up first closes the windows of the
 * others, whose backlog is then dropped as late. Everything here (the aggregates, each source's
 * progress, the watermark) is in logged stores, so a restart goes on from what the last transaction
 * committed and closes no window twice.
 *
 * @param <A> the partial and aggregate (Avro)
 */
final class WindowMerger<A> implements Processor<String, A, Windowed<String>, A> {

    /** What the merger needs to know of its partials. */
    interface Partials<A> {

        long windowStart(A partial);

        /** Adds {@code partial} into {@code aggregate} (null for the window's first) and returns the result. */
        A merge(A aggregate, A partial);

        /** Reports the records a partial holds, by the aggregation that counts them: what a late or refused partial held. */
        void records(A partial, java.util.function.ObjLongConsumer<String> byAggregation);
    }

    /**
     * What is kept, for queries, of the windows still open: told of each merge and each close, and
     * of every open window again when the task starts (so it may live in a store that is not logged).
     */
    interface OpenWindows<A> {

        /** Keeps nothing. */
        static <A> OpenWindows<A> none() {
            return new OpenWindows<>() {
            };
        }

        default void init(final ProcessorContext<?, ?> context) {
        }

        /** {@code aggregate} is now what the window of {@code key} starting at {@code windowStart} holds. */
        default void merged(final String key, final long windowStart, final A aggregate) {
        }

        /** The window was forwarded: it is no longer open. */
        default void closed(final String key, final long windowStart) {
        }
    }

    /** The progress store's key of the watermark itself; sources' keys are never empty. */
    private static final String WATERMARK_KEY = "";

    private final String stage;
    private final String windowsName;
    private final String progressName;
    private final Partials<A> partials;
    private final OpenWindows<A> open;
    private final long windowSizeMs;
    private final long graceMs;
    private final long stalledMs;
    private final long idleMs;
    private final PipelineListener listener;
    private final java.time.Duration checkInterval;
    private ProcessorContext<Windowed<String>, A> context;
    private TimestampedWindowStore<String, A> windows;
    private KeyValueStore<String, byte[]> progressStore;
    private final Map<String, Source> sources = new HashMap<>();
    private long watermark = Long.MIN_VALUE;
    private long startedAt;
    private String task;

    /** A source's last announcement, and when it came by this instance's clock. */
    private record Source(long time, boolean idle, long heardAt) {

        byte[] toBytes() {
            return ByteBuffer.allocate(2 * Long.BYTES + 1).putLong(time).put((byte) (idle ? 1 : 0)).putLong(heardAt).array();
        }

        static Source of(final byte[] bytes) {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new Source(buffer.getLong(), buffer.get() != 0, buffer.getLong());
        }
    }

    WindowMerger(final String stage, final String windowsName, final String progressName, final Partials<A> partials,
                 final TopologySettings settings, final PipelineListener listener) {
        this(stage, windowsName, progressName, partials, OpenWindows.none(), settings, listener);
    }

    WindowMerger(final String stage, final String windowsName, final String progressName, final Partials<A> partials,
                 final OpenWindows<A> open, final TopologySettings settings, final PipelineListener listener) {
        this.stage = stage;
        this.windowsName = windowsName;
        this.progressName = progressName;
        this.partials = partials;
        this.open = open;
        this.windowSizeMs = settings.windowSize().toMillis();
        this.graceMs = settings.grace().toMillis();
        this.stalledMs = settings.watermarks().stalled().toMillis();
        this.idleMs = settings.watermarks().idle().toMillis();
        this.checkInterval = settings.flushInterval();
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<Windowed<String>, A> processorContext) {
        this.context = processorContext;
        this.windows = processorContext.getStateStore(windowsName);
        this.progressStore = processorContext.getStateStore(progressName);
        this.startedAt = processorContext.currentSystemTimeMs();
        this.task = processorContext.taskId().toString();
        // A task revived after a corruption is initialised again on this instance: start from the stores only.
        sources.clear();
        watermark = Long.MIN_VALUE;
        try (KeyValueIterator<String, byte[]> all = progressStore.all()) {
            all.forEachRemaining(entry -> {
                if (entry.key.equals(WATERMARK_KEY)) {
                    watermark = ByteBuffer.wrap(entry.value).getLong();
                } else {
                    sources.put(entry.key, Source.of(entry.value));
                }
            });
        }
        open.init(processorContext);
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<A>> stillOpen = windows.fetchAll(firstOpenStart(), Long.MAX_VALUE)) {
            stillOpen.forEachRemaining(entry -> open.merged(entry.key.key(), entry.key.window().start(), entry.value.value()));
        }
        // A source not running anywhere now (its instance gone) has the stalled timeout from now to come back.
        processorContext.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::advance);
    }

    @Override
    public void process(final Record<String, A> record) {
        if (record.value() == null) {
            final Optional<Progress.Announcement> announcement = Progress.of(record.headers());
            if (announcement.isPresent()) {
                final Source source = new Source(announcement.get().time(), announcement.get().idle(), context.currentSystemTimeMs());
                sources.put(record.key(), source);
                progressStore.put(record.key(), source.toBytes());
                advance(context.currentSystemTimeMs());
            }
            return;
        }
        final A partial = record.value();
        final long start = partials.windowStart(partial);
        if (PartialBuffers.closed(start, windowSizeMs, graceMs, watermark)) {
            partials.records(partial, listener::late);
            return;
        }
        final ValueAndTimestamp<A> aggregate = windows.fetch(record.key(), start);
        final A merged = partials.merge(aggregate == null ? null : aggregate.value(), partial);
        final long timestamp = aggregate == null ? record.timestamp() : Math.max(aggregate.timestamp(), record.timestamp());
        windows.put(record.key(), ValueAndTimestamp.make(merged, timestamp), start);
        open.merged(record.key(), start, merged);
    }

    /** The start of the oldest window the watermark has not closed. */
    private long firstOpenStart() {
        return watermark == Long.MIN_VALUE ? 0L : Math.max(0L, watermark - windowSizeMs - graceMs + 1);
    }

    /** Moves the watermark to what the sources allow now, and forwards the windows it closes, oldest first. */
    private void advance(final long now) {
        if (now - startedAt < idleMs) {
            return;
        }
        final long allowed = allowed(now);
        if (allowed <= watermark) {
            return;
        }
        // Windows whose end plus grace is in (watermark, allowed]: by start, (watermark - size - grace, allowed - size - grace].
        final long from = firstOpenStart();
        final long to = allowed - windowSizeMs - graceMs;
        if (to >= from) {
            final List<KeyValue<Windowed<String>, ValueAndTimestamp<A>>> closing = new ArrayList<>();
            try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<A>> found = windows.fetchAll(from, to)) {
                found.forEachRemaining(closing::add);
            }
            closing.sort(Comparator.comparingLong((KeyValue<Windowed<String>, ValueAndTimestamp<A>> entry) -> entry.key.window().start())
                .thenComparing(entry -> entry.key.key()));
            for (final KeyValue<Windowed<String>, ValueAndTimestamp<A>> entry : closing) {
                context.forward(new Record<>(entry.key, entry.value.value(), entry.value.timestamp()));
                open.closed(entry.key.key(), entry.key.window().start());
            }
        }
        watermark = allowed;
        progressStore.put(WATERMARK_KEY, ByteBuffer.allocate(Long.BYTES).putLong(watermark).array());
        listener.watermark(stage, task, watermark);
    }

    /** The minimum over the active sources' progress; the maximum over all when none is active. */
    private long allowed(final long now) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (final Source source : sources.values()) {
            max = Math.max(max, source.time());
            final boolean stalled = now - Math.max(source.heardAt(), startedAt) >= stalledMs;
            if (!source.idle() && !stalled) {
                min = Math.min(min, source.time());
            }
        }
        return min == Long.MAX_VALUE ? max : min;
    }

    @Override
    public void close() {
        listener.watermarkGone(stage, task);
    }
}
