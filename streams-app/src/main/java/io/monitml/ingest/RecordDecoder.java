package io.monitml.ingest;

import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Headers;

/**
 * Decodes one record of any input topic into an {@link InferenceEvent}: the single entry point
 * that both the pipeline and {@code monitml decode} use, so that what the tool shows is what
 * the pipeline does. Seldon Core v2 topics are recognised by name; every other topic carries
 * Seldon logger events (CloudEvents or the v1 executor's direct Kafka logger). Thread-safe.
 */
public final class RecordDecoder {

    public static final String DEFAULT_V2_PREFIX = "seldon";

    private final SeldonEventReader seldonEvents = new SeldonEventReader();
    private final SeldonV2Reader seldonV2 = new SeldonV2Reader();
    private final Pattern v2Topics;
    private final ModelSchemas schemas;

    /**
     * @param v2Prefix the Seldon Core v2 topic prefix, or null when v2 topics are not read
     * @param schemas  configured names and categorical features for payloads that lack them
     */
    public RecordDecoder(final String v2Prefix, final ModelSchemas schemas) {
        this.v2Topics = v2Prefix == null ? null : SeldonV2Topic.pattern(v2Prefix);
        this.schemas = schemas;
    }

    public RecordDecoder() {
        this(DEFAULT_V2_PREFIX, ModelSchemas.none());
    }

    /**
     * @param topic     the record's topic
     * @param timestamp the record timestamp, the event time when the record carries none
     * @throws InvalidRecordException with the dead-letter reason when it cannot be decoded
     */
    public InferenceEvent decode(final String topic, final Headers headers, final byte[] key, final byte[] value,
                                 final long timestamp) {
        final Optional<SeldonV2Topic> v2 = v2Topics == null ? Optional.empty() : SeldonV2Topic.parse(v2Topics, topic);
        final InferenceEvent event = v2.isPresent()
            ? seldonV2.read(v2.get(), headers, key, value, timestamp)
            : seldonEvents.read(headers, value, timestamp);
        final RowBatch rows = schemas.apply(event.kind(), event.unit(), event.rows());
        return rows == event.rows() ? event
            : new InferenceEvent(event.kind(), event.unit(), event.requestId(), event.eventTime(), rows, event.error(), event.format());
    }
}
