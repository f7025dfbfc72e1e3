package io.monitml.topology;

import java.time.Duration;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;


/**
 * Pre-aggregates inputs per input partition into one live partial {@code W} per (unit, window) in
 * a write-behind buffer, and flushes the partials downstream at a fixed wall-clock interval, so
 * that only partials, not records, cross the repartition to the merging stage. An event whose
 * window has already closed (end plus grace behind the stream time) is counted as late and left out.
 *
 * <p>The stream time here is this stage's own: the latest event time it accepted, never ahead of
 * this instance's clock. Kafka Streams' stream time follows the input records' timestamps, which a
 * sender with a wrong clock writes (a direct Kafka logger stamps its own time), and it is persisted:
 * one such record would close every unit's windows early for as long as the clock was wrong. Event
 * times reach this stage checked ({@link io.monitml.ingest.EventTimes}: at most the allowed skew
 * ahead), and the partials it sends carry timestamps no later than the clock, a window that starts
 * in the future waiting in the buffer until it has begun: so no stage downstream sees a stream time
 * ahead of the clock, and an event slightly ahead cannot close the windows of the units beside it.
 *
 * @param <I> the input: decoded events, or paired inference rows
 * @param <W> the live partial kept in the buffer
 * @param <P> the partial sent downstream
 */
abstract class WindowedPartialsProcessor<I, W, P> implements Processor<String, I, String, P> {

    private final String bufferName;
    private final String lateStage;
    private final long windowSizeMs;
    private final long graceMs;
    private final Duration flushInterval;
    private final PipelineListener listener;
    private ProcessorContext<String, P> context;
    private KeyValueStore<String, W> buffer;
    /** The latest event time accepted (from Kafka Streams' persisted stream time at start, bounded by the clock). */
    private long latestEventTime;

    WindowedPartialsProcessor(final String bufferName, final String lateStage, final TopologySettings settings,
                              final PipelineListener listener) {
        this.bufferName = bufferName;
        this.lateStage = lateStage;
        this.windowSizeMs = settings.windowSize().toMillis();
        this.graceMs = settings.grace().toMillis();
        this.flushInterval = settings.flushInterval();
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
        this.latestEventTime = Math.min(processorContext.currentStreamTimeMs(), processorContext.currentSystemTimeMs());
        opened(processorContext);
        processorContext.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public final void process(final Record<String, I> record) {
        final I input = record.value();
        if (!accepts(input)) {
            return;
        }
        final long time = eventTime(input);
        final long windowStart = PartialBuffers.windowStart(time, windowSizeMs);
        if (PartialBuffers.closed(windowStart, windowSizeMs, graceMs, Math.min(latestEventTime, context.currentSystemTimeMs()))) {
            listener.late(lateStage);
            return;
        }
        latestEventTime = Math.max(latestEventTime, time);
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
    }
}
