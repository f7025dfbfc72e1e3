package io.monitml.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.monitml.avro.InferenceRecord;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;

/** The pairing branch's entry: one record per row, keyed by request id, its kind in a header. */
final class ToInferenceRowsProcessor implements Processor<String, InferenceEvent, String, InferenceRecord> {

    private static final byte[] REQUEST = PairingProcessor.REQUEST.getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESPONSE = PairingProcessor.RESPONSE.getBytes(StandardCharsets.UTF_8);

    private final int maxFeatures;
    private ProcessorContext<String, InferenceRecord> context;

    ToInferenceRowsProcessor(final int maxFeatures) {
        this.maxFeatures = maxFeatures;
    }

    @Override
    public void init(final ProcessorContext<String, InferenceRecord> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<String, InferenceEvent> record) {
        final InferenceEvent event = record.value();
        if (event.requestId() == null) {
            return;
        }
        final byte[] kind = event.kind() == EventKind.REQUEST ? REQUEST : RESPONSE;
        // The pairing stage's stream time (its expiry pass) follows these timestamps: never past the clock.
        final long timestamp = Math.min(event.eventTime(), context.currentSystemTimeMs());
        for (InferenceRecord row : InferenceRows.of(event, maxFeatures)) {
            final RecordHeaders headers = new RecordHeaders();
            headers.add(PairingProcessor.KIND_HEADER, kind);
            context.forward(new Record<>(event.requestId(), row, timestamp, headers));
        }
    }
}
