package io.monitml.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.RecordDecoder;

/**
 * Decodes raw logger records into inference events keyed by unit. A record that cannot be decoded
 * throws {@link io.monitml.ingest.decoded.InvalidRecordException}; the configured
 * {@link DeadLetterHandler} sends it to the dead-letter topic with the reason and processing goes on.
 * Which units are monitored is decided where each unit's partials meet ({@link AdmitUnitsProcessor}).
 *
 * <p>An event whose record was keyed by its request id (as MonitML's ingest endpoint writes the
 * CloudEvents topic) is marked {@link #KEYED_BY_REQUEST_ID}: a topic's producer puts records of one key
 * in one partition, so its request and response are in the same task and the pairing branch pairs
 * them there, without a repartition. Seldon Core v1's direct Kafka logger writes no key: those cross it.
 */
final class NormalizeProcessor implements Processor<byte[], byte[], String, InferenceEvent> {

    /** The header that marks an event whose record was keyed by its request id. */
    static final String KEYED_BY_REQUEST_ID = "monitml.keyed-by-request-id";
    private static final byte[] MARK = new byte[0];

    private final RecordDecoder decoder;
    private final boolean pairsInPlace;
    private final PipelineListener listener;
    private ProcessorContext<String, InferenceEvent> context;

    /**
     * @param pairsInPlace whether records keyed by request id are marked to pair in place: not for Seldon
     *                     Core v2, whose requests and responses are on two topics
     */
    NormalizeProcessor(final RecordDecoder decoder, final boolean pairsInPlace, final PipelineListener listener) {
        this.decoder = decoder;
        this.pairsInPlace = pairsInPlace;
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
        final String unitKey = event.kind() == EventKind.OTHER ? null : event.unit().key();
        listener.decoded(source, event.format() == null ? "none" : event.format(), event.kind(),
            event.rows() == null ? 0 : event.rows().rows());
        if (event.kind() == EventKind.OTHER) {
            return;
        }
        // Checked event times are at most the allowed skew ahead; no timestamp this stage forwards is ahead of the clock.
        final Headers headers = markKeyedBy(pairsInPlace, record.key(), event.requestId());
        context.forward(new Record<>(unitKey, event, Math.min(event.eventTime(), now), headers));
    }

    /** Headers with the mark {@link #KEYED_BY_REQUEST_ID} when {@code inPlace} and the record's key is the request id; else none. */
    static Headers markKeyedBy(final boolean inPlace, final byte[] key, final String requestId) {
        return marked(inPlace && requestId != null && sameText(key, requestId));
    }

    /** Headers with the mark {@link #KEYED_BY_REQUEST_ID}, or none. */
    static Headers marked(final boolean keyedByRequestId) {
        final Headers headers = new RecordHeaders();
        if (keyedByRequestId) {
            headers.add(KEYED_BY_REQUEST_ID, MARK);
        }
        return headers;
    }

    static boolean keyedByRequestId(final Record<?, ?> record) {
        return record.headers().lastHeader(KEYED_BY_REQUEST_ID) != null;
    }

    /** Whether the key is the text's UTF-8 bytes; without encoding it for the usual ASCII id. */
    static boolean sameText(final byte[] key, final String text) {
        if (key == null || key.length < text.length()) {
            return false;
        }
        if (key.length == text.length()) {
            for (int i = 0; i < key.length; i++) {
                final char c = text.charAt(i);
                if (c >= 0x80) {
                    return Arrays.equals(key, text.getBytes(StandardCharsets.UTF_8));
                }
                if (key[i] != (byte) c) {
                    return false;
                }
            }
            return true;
        }
        return Arrays.equals(key, text.getBytes(StandardCharsets.UTF_8));
    }
}
