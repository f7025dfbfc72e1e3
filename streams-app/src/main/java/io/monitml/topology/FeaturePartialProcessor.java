package io.monitml.topology;

import java.time.Duration;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.avro.FeaturePartial;
import io.monitml.drift.FeatureWindow;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.Unit;

/**
 * Pre-aggregates the features of requests per input partition into one {@link FeatureWindow} per
 * (unit, window) and flushes them downstream at a fixed wall-clock interval, so that only
 * sketches, not rows, cross the repartition to the merging stage.
 */
final class FeaturePartialProcessor implements Processor<String, InferenceEvent, String, FeaturePartial> {

    private final long windowSizeMs;
    private final Duration flushInterval;
    private final long graceMs;
    private final PipelineListener listener;
    private static final String LATE_STAGE = "feature-drift";

    private ProcessorContext<String, FeaturePartial> context;
    private KeyValueStore<String, FeatureWindow> buffer;

    FeaturePartialProcessor(final Duration windowSize, final Duration grace, final Duration flushInterval,
                              final PipelineListener listener) {
        this.windowSizeMs = windowSize.toMillis();
        this.graceMs = grace.toMillis();
        this.listener = listener;
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(final ProcessorContext<String, FeaturePartial> context) {
        this.context = context;
        this.buffer = context.getStateStore(Names.FEATURE_PARTIALS_BUFFER);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(final Record<String, InferenceEvent> record) {
        final InferenceEvent event = record.value();
        if (event.kind() != EventKind.REQUEST || event.rows() == null || event.rows().rows() == 0) {
            return;
        }
        final long windowStart = PartialBuffers.windowStart(event.eventTime(), windowSizeMs);
        if (PartialBuffers.closed(windowStart, windowSizeMs, graceMs, context.currentStreamTimeMs())) {
            listener.late(LATE_STAGE);
            return;
        }
        final String key = PartialBuffers.key(event.unit(), windowStart);
        FeatureWindow window = buffer.get(key);
        if (window == null) {
            window = new FeatureWindow(event.unit(), windowStart);
        }
        window.add(event.rows(), event.eventTime());
        buffer.put(key, window);
    }

    private void flush() {
        PartialBuffers.flush(buffer, window -> {
            final FeaturePartial partial = window.toAvro();
            context.forward(new Record<>(Unit.fromAvro(partial.getUnit()).key(), partial, window.lastEventTime()));
        });
    }
}
