package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.RecordDecoder;

/**
 * Decodes raw logger records into inference events keyed by unit. A record that cannot be decoded
 * throws {@link io.monitml.ingest.InvalidRecordException}; the configured
 * {@link DeadLetterHandler} sends it to the dead-letter topic with the reason and processing goes on.
 */
final class NormalizeProcessor implements Processor<byte[], byte[], String, InferenceEvent> {

    private final RecordDecoder decoder;
    private final PipelineListener listener;
    private ProcessorContext<String, InferenceEvent> context;

    NormalizeProcessor(final RecordDecoder decoder, final PipelineListener listener) {
        this.decoder = decoder;
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
        final InferenceEvent event = decoder.decode(source, record.headers(), record.key(), record.value(), record.timestamp());
        listener.decoded(source, event.format() == null ? "none" : event.format(), event.kind(),
            event.rows() == null ? 0 : event.rows().rows());
        if (event.kind() == EventKind.OTHER) {
            return;
        }
        context.forward(new Record<>(event.unit().key(), event, event.eventTime(), record.headers()));
    }
}
