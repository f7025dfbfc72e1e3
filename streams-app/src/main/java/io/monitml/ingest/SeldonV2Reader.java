package io.monitml.ingest;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.protobuf.V2Message;
import io.monitml.ingest.protobuf.V2ProtobufDecoder;

/**
 * Reads Seldon Core v2's native topics: protobuf ModelInferRequest on {@code .inputs} and
 * ModelInferResponse on {@code .outputs}, paired by the {@code x-request-id} header. The unit is
 * (namespace and model from the topic, the model version from the message as variant).
 */
public final class SeldonV2Reader {

    static final String REQUEST_ID_HEADER = "x-request-id";
    static final String UNVERSIONED = "default";

    private final V2ProtobufDecoder decoder = new V2ProtobufDecoder();

    public InferenceEvent read(final SeldonV2Topic topic, final Headers headers, final byte[] key, final byte[] value,
                               final long timestamp) {
        final V2Message message = topic.outputs() ? decoder.decodeResponse(value) : decoder.decodeRequest(value);
        final String requestId = requestId(headers, key, message);
        final String variant = message.modelVersion() == null ? UNVERSIONED : message.modelVersion();
        final Unit unit = new Unit(topic.namespace(), topic.name(), variant, topic.name());
        return new InferenceEvent(topic.outputs() ? EventKind.RESPONSE : EventKind.REQUEST, unit, requestId, timestamp,
            message.rows(), null, "v2-protobuf");
    }

    /** The x-request-id header; else the message id; else the record key, whose last dot-separated part newer releases use. */
    private static String requestId(final Headers headers, final byte[] key, final V2Message message) {
        final Header header = headers.lastHeader(REQUEST_ID_HEADER);
        if (header != null && header.value() != null && header.value().length > 0) {
            return new String(header.value(), StandardCharsets.UTF_8);
        }
        if (message.id() != null && !message.id().isBlank()) {
            return message.id();
        }
        if (key != null && key.length > 0) {
            final String text = new String(key, StandardCharsets.UTF_8);
            return text.substring(text.lastIndexOf('.') + 1);
        }
        throw new InvalidRecordException("missing-request-id",
            "The Seldon v2 record has no x-request-id header, message id or key to pair it by");
    }

}
