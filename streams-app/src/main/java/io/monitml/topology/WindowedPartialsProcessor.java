package io.monitml.topology;

import java.time.Duration;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.config.TopologySettings;


/**
 * Pre-aggregates inputs per input partition into one live partial {@code W} per (unit, window) in
 * a write-behind buffer, and flushes the partials downstream at a fixed wall-clock interval, so
 * that only partials, not records, cross the repartition to the merging stage. After each flush it
 * announces its progress ({@link Progress}) to every task of the merging stage, which closes a
 * window only when every active input has passed its end plus grace.
 *
 * <p>The progress is this stage's own: the latest event time it accepted, each event vouching for
 * no more than the clock when it came. Kafka Streams' stream time follows the input records'
 * timestamps, which a sender with a wrong clock writes (a direct Kafka logger stamps its own time),
 * and it is persisted: one such record would make every later record late, even after a restart.
 * The progress is kept in a store of its own, written with each announcement in the same
 * transaction, so that a restarted task goes on from what it announced, not from a record's clock.
 * An event whose window has closed by this progress (end plus grace behind it) is counted as late
 * and left out: this is what lets the merging stage trust an announcement.
 *
 * <p>Partials carry timestamps no later than the clock, and a window that starts in the future waits
 * in the buffer until it has begun: an event slightly ahead of the clock (within the allowed skew)
 * closes no window of the units beside it.
 *
 * @param <I> the input: decoded events, or paired inference rows
 * @param <W> the live partial kept in the buffer
 * @param <P> the partial sent downstream
 */
abstract class WindowedPartialsProcessor<I, W, P> implements Processor<String, I, String, P> {

    /** The progress store's one key: each task has a store of its own. */
    private static final String PROGRESS_KEY = "progress";

    private final String bufferName;
    private final String lateStage;
    private final long windowSizeMs;
    private final long graceMs;
    private final Duration flushInterval;
    private final PipelineListener listener;
    private final String progressName;
    private final long idleMs;
    private ProcessorContext<String, P> context;
    private KeyValueStore<String, W> buffer;
    private KeyValueStore<String, Long> progressStore;
    private String source;
    /** The latest event time accepted, each bounded by the clock when it came; {@link Long#MIN_VALUE} before the first. */
    private long progress = Long.MIN_VALUE;
    /** When the last input record came, by the clock. */
    private long lastInput;
    /** The progress last written to the store, so that an idle task writes no changelog record per flush. */
    private long storedProgress = Long.MIN_VALUE;

    /**
     * @param progressName the store of this stage's progress, which it announces to the merging stage;
     *                     null for a stage whose partials hold no window back (they merge while the window is open)
     */
    WindowedPartialsProcessor(final String bufferName, final String lateStage, final String progressName,
                              final TopologySettings settings, final PipelineListener listener) {
        this.bufferName = bufferName;
        this.lateStage = lateStage;
        this.progressName = progressName;
        this.windowSizeMs = settings.windowSize().toMillis();
        this.graceMs = settings.grace().toMillis();
        this.flushInterval = settings.flushInterval();
        this.idleMs = settings.watermarks().idle().toMillis();
        this.listener = listener;
    }

    /** Whether this aggregation takes the input at all (requests for features, responses for predictions). */
    abstract boolean accepts(I input);

    /** The input's event time, which decides its window. */
    abstract long eventTime(I input);

    /** The key of the input's unit. */
    abstract String unitKey(Record<String, I> record);

    abstract W newWindow(I input, long windowStart);

    abstract void add(W window, I input);

    abstract P toPartial(W window);

    /** The key downstream: the partial's unit. */
    abstract String unitKey(P partial);

    /** Called once the buffer is open: for stores of its own. */
    void opened(final ProcessorContext<String, P> processorContext) {
    }

    /** The partial's record timestamp: its latest event time, so downstream stream time follows event time. */
    abstract long timestamp(P partial);

    @Override
    public final void init(final ProcessorContext<String, P> processorContext) {
        this.context = processorContext;
        this.buffer = processorContext.getStateStore(bufferName);
        this.lastInput = processorContext.currentSystemTimeMs();
        if (progressName != null) {
            this.progressStore = processorContext.getStateStore(progressName);
            this.source = progressName + "/" + processorContext.taskId();
            final Long announced = progressStore.get(PROGRESS_KEY);
            this.progress = announced == null ? Long.MIN_VALUE : announced;
            this.storedProgress = progress;
        }
        opened(processorContext);
        processorContext.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public final void process(final Record<String, I> record) {
        final long now = context.currentSystemTimeMs();
        lastInput = now;
        final I input = record.value();
        if (!accepts(input)) {
            return;
        }
        final long time = eventTime(input);
        final long windowStart = PartialBuffers.windowStart(time, windowSizeMs);
        if (PartialBuffers.closed(windowStart, windowSizeMs, graceMs, progress)) {
            listener.late(lateStage);
            return;
        }
        progress = Math.max(progress, Math.min(time, now));
        final String key = PartialBuffers.key(unitKey(record), windowStart);
        W window = buffer.get(key);
        if (window == null) {
            window = newWindow(input, windowStart);
        }
        add(window, input);
        buffer.put(key, window);
    }

    private void flush(final long now) {
        PartialBuffers.flush(buffer, now, window -> {
            final P partial = toPartial(window);
            context.forward(new Record<>(unitKey(partial), partial, Math.min(timestamp(partial), now)));
        });
        if (progressStore != null && progress != Long.MIN_VALUE) {
            if (progress != storedProgress) {
                progressStore.put(PROGRESS_KEY, progress);
                storedProgress = progress;
            }
            context.forward(new Record<String, P>(source, null, Math.max(0L, progress), Progress.headers(progress, now - lastInput >= idleMs)));
        }
    }
}
