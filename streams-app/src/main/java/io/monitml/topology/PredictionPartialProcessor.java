package io.monitml.topology;

import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.avro.PredictionPartial;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.RowBatch;
import io.monitml.ingest.Unit;
import io.monitml.stats.RunningMoments;

/**
 * Pre-aggregates responses per input partition into one partial per (unit, window) and flushes
 * the partials downstream at a fixed wall-clock interval, so that only partials, not records,
 * cross the repartition to the merging stage. The buffer is a logged store: a partial not yet
 * flushed survives a crash together with the input offsets it accounts for.
 */
final class PredictionPartialProcessor implements Processor<String, InferenceEvent, String, PredictionPartial> {

    private final long windowSizeMs;
    private final Duration flushInterval;
    private final long graceMs;
    private final PipelineListener listener;
    private static final String LATE_STAGE = "prediction-statistics";

    private ProcessorContext<String, PredictionPartial> context;
    private KeyValueStore<String, PredictionWindow> buffer;

    PredictionPartialProcessor(final Duration windowSize, final Duration grace, final Duration flushInterval,
                              final PipelineListener listener) {
        this.windowSizeMs = windowSize.toMillis();
        this.graceMs = grace.toMillis();
        this.listener = listener;
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(final ProcessorContext<String, PredictionPartial> context) {
        this.context = context;
        this.buffer = context.getStateStore(Names.PREDICTION_PARTIALS_BUFFER);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(final Record<String, InferenceEvent> record) {
        final InferenceEvent event = record.value();
        if (event.kind() != EventKind.RESPONSE) {
            return;
        }
        final long windowStart = PartialBuffers.windowStart(event.eventTime(), windowSizeMs);
        if (PartialBuffers.closed(windowStart, windowSizeMs, graceMs, context.currentStreamTimeMs())) {
            listener.late(LATE_STAGE);
            return;
        }
        final String bufferKey = PartialBuffers.key(event.unit(), windowStart);
        PredictionWindow window = buffer.get(bufferKey);
        if (window == null) {
            window = new PredictionWindow(PredictionPartials.empty(event.unit(), windowStart));
        }
        accumulate(window, event);
        buffer.put(bufferKey, window);
    }

    private static void accumulate(final PredictionWindow window, final InferenceEvent event) {
        final PredictionPartial partial = window.partial();
        partial.setResponses(partial.getResponses() + 1);
        if (event.eventTime() > partial.getLastEventTime().toEpochMilli()) {
            partial.setLastEventTime(Instant.ofEpochMilli(event.eventTime()));
        }
        if (event.failed()) {
            partial.setErrorCount(partial.getErrorCount() + 1);
            return;
        }
        final RowBatch rows = event.rows();
        if (rows == null || rows.columns() == 0) {
            return;
        }
        if (partial.getOutput() == null) {
            partial.setOutput(rows.name(0));
        }
        final RunningMoments moments = PredictionPartials.moments(partial);
        // The first output is the prediction; further outputs (class probabilities) come later.
        for (int row = 0; row < rows.rows(); row++) {
            moments.add(rows.value(row, 0));
            window.add(rows.value(row, 0));
        }
        PredictionPartials.setMoments(partial, moments);
    }

    private void flush() {
        PartialBuffers.flush(buffer, window -> {
            final PredictionPartial partial = window.toAvro();
            context.forward(new Record<>(Unit.fromAvro(partial.getUnit()).key(), partial, partial.getLastEventTime().toEpochMilli()));
        });
    }

}
