package io.monitml.ingest;

import java.util.Locale;

import org.apache.kafka.common.header.Headers;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.protobuf.SeldonProtobufDecoder;
import io.monitml.ingest.protobuf.SeldonProtobufMessage;
import io.monitml.ingest.protobuf.V2Message;
import io.monitml.ingest.protobuf.V2ProtobufDecoder;

/**
 * Turns one raw Seldon logger record (headers + body) into an {@link InferenceEvent}, or throws
 * {@link InvalidRecordException} saying why it cannot. Events of other types (feedback, outlier,
 * drift) come back as {@link EventKind#OTHER} without their body decoded.
 */
public final class SeldonEventReader {

    static final String DEFAULT_NAMESPACE = "default";
    static final String DEFAULT_VARIANT = "default";

    private final JsonBodyDecoder json = new JsonBodyDecoder();
    private final SeldonProtobufDecoder seldonProtobuf = new SeldonProtobufDecoder();
    private final V2ProtobufDecoder v2Protobuf = new V2ProtobufDecoder();

    public InferenceEvent read(final Headers headers, final byte[] body, final long recordTimestamp) {
        final LoggerAttributes attributes = LoggerAttributes.read(headers);
        if (attributes.type == null || attributes.type.isBlank()) {
            throw new InvalidRecordException("missing-type",
                "The record has no CloudEvents type (ce_type, ce-type or type header)");
        }
        final EventKind kind = EventKind.fromCloudEventType(attributes.type);
        final Unit unit = unitOf(attributes);
        final long eventTime = attributes.time == null ? recordTimestamp : EventTimes.parse(attributes.time);
        if (kind == EventKind.OTHER) {
            return new InferenceEvent(kind, unit, attributes.requestId, eventTime, null, null, null);
        }
        if (attributes.requestId == null || attributes.requestId.isBlank()) {
            throw new InvalidRecordException("missing-request-id",
                "The " + attributes.type + " event has no request id (ce_requestid, ce-requestid or requestid header)");
        }
        final DecodedBody decoded = decodeBody(kind, attributes, body);
        return new InferenceEvent(kind, unit, attributes.requestId, eventTime, decoded.rows(), decoded.error(), decoded.format());
    }

    private static Unit unitOf(final LoggerAttributes attributes) {
        if (attributes.deployment == null || attributes.deployment.isBlank()) {
            throw new InvalidRecordException("missing-deployment",
                "The record names no deployment (ce_inferenceservicename, ce-inferenceservicename or inferenceservicename header)");
        }
        final String namespace = blankTo(attributes.namespace, DEFAULT_NAMESPACE);
        final String variant = blankTo(attributes.endpoint, DEFAULT_VARIANT);
        final String model = blankTo(attributes.modelId, attributes.deployment);
        return new Unit(namespace, attributes.deployment, variant, model);
    }

    /**
     * JSON bodies of every protocol tell their format by their keys; gRPC traffic is logged as
     * protobuf: a SeldonMessage, or an Open Inference Protocol message when Ce-Protocol says v2.
     */
    private DecodedBody decodeBody(final EventKind kind, final LoggerAttributes attributes, final byte[] body) {
        final String mediaType = attributes.contentType == null ? "application/json"
            : attributes.contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals("application/json") || mediaType.endsWith("+json") || mediaType.equals("text/json")) {
            return json.decode(body);
        }
        if (mediaType.equals("application/protobuf") || mediaType.equals("application/x-protobuf")
            || mediaType.equals("application/grpc+proto")) {
            if (isV2(attributes.protocol)) {
                final V2Message message = kind == EventKind.REQUEST ? v2Protobuf.decodeRequest(body) : v2Protobuf.decodeResponse(body);
                return new DecodedBody(message.rows(), null, message.modelName(), message.modelVersion(), message.id(), "v2-protobuf");
            }
            final SeldonProtobufMessage message = seldonProtobuf.decode(body);
            return new DecodedBody(message.rows(), message.error()).withFormat("seldon-protobuf");
        }
        throw new InvalidRecordException("unsupported-content-type",
            "Content type " + attributes.contentType + " is not decoded; MonitML reads application/json and application/protobuf");
    }

    private static boolean isV2(final String protocol) {
        return protocol != null && (protocol.equalsIgnoreCase("v2") || protocol.equalsIgnoreCase("kfserving")
            || protocol.equalsIgnoreCase("kserve"));
    }

    private static String blankTo(final String value, final String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
