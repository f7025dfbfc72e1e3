package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.RecordDecoder;
import io.monitml.ingest.UnitRegistry;

/**
 * Decodes raw logger records into inference events keyed by unit. A record that cannot be decoded
 * throws {@link io.monitml.ingest.InvalidRecordException}; the configured
 * {@link DeadLetterHandler} sends it to the dead-letter topic with the reason and processing goes on.
 * So does a record of a new unit when this instance monitors as many units as it may.
 */
final class NormalizeProcessor implements Processor<byte[], byte[], String, InferenceEvent> {

    private final RecordDecoder decoder;
    private final UnitRegistry units;
    private final PipelineListener listener;
    private ProcessorContext<String, InferenceEvent> context;

    NormalizeProcessor(final RecordDecoder decoder, final UnitRegistry units, final PipelineListener listener) {
        this.decoder = decoder;
        this.units = units;
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, InferenceEvent> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final String source = context.recordMetadata().map(m -> m.topic()).orElse("unknown");
        listener.recordIn(source);
        final long now = context.currentSystemTimeMs();
        final InferenceEvent event = decoder.decode(source, record.headers(), record.key(), record.value(), record.timestamp(), now);
        if (event.kind() != EventKind.OTHER) {
            units.admit(event.unit().key(), now);
        }
        listener.decoded(source, event.format() == null ? "none" : event.format(), event.kind(),
            event.rows() == null ? 0 : event.rows().rows());
        if (event.kind() == EventKind.OTHER) {
            return;
        }
        // Checked event times are at most the allowed skew ahead; no timestamp this stage forwards is ahead of the clock.
        context.forward(new Record<>(event.unit().key(), event, Math.min(event.eventTime(), now), record.headers()));
    }
}
