package io.monitml.ingest;

import org.apache.kafka.common.header.Headers;

/**
 * Decodes one record of any input topic into an {@link InferenceEvent}: the single entry point
 * that both the pipeline and {@code monitml decode} use, so that what the tool shows is what
 * the pipeline does. Thread-safe.
 */
public final class RecordDecoder {

    private final SeldonEventReader seldonEvents = new SeldonEventReader();

    /**
     * @param topic     the record's topic (Seldon Core v2 topics are recognised by their name)
     * @param timestamp the record timestamp, the event time when the record carries none
     * @throws InvalidRecordException with the dead-letter reason when it cannot be decoded
     */
    public InferenceEvent decode(final String topic, final Headers headers, final byte[] value, final long timestamp) {
        return seldonEvents.read(headers, value, timestamp);
    }
}
