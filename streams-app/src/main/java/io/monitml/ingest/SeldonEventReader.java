package io.monitml.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.apache.kafka.common.header.Headers;

/**
 * Turns one raw Seldon logger record (headers + body) into an {@link InferenceEvent}, or throws
 * {@link InvalidRecordException} saying why it cannot. Events of other types (feedback, outlier,
 * drift) come back as {@link EventKind#OTHER} without their body decoded.
 */
public final class SeldonEventReader {

    static final String DEFAULT_NAMESPACE = "default";
    static final String DEFAULT_VARIANT = "default";

    private final SeldonJsonDecoder json = new SeldonJsonDecoder();

    public InferenceEvent read(final Headers headers, final byte[] body, final long recordTimestamp) {
        final LoggerAttributes attributes = LoggerAttributes.read(headers);
        if (attributes.type == null || attributes.type.isBlank()) {
            throw new InvalidRecordException("missing-type",
                "The record has no CloudEvents type (ce_type, ce-type or type header)");
        }
        final EventKind kind = EventKind.fromCloudEventType(attributes.type);
        final Unit unit = unitOf(attributes);
        final long eventTime = attributes.time == null ? recordTimestamp : parseTime(attributes.time);
        if (kind == EventKind.OTHER) {
            return new InferenceEvent(kind, unit, attributes.requestId, eventTime, null, null);
        }
        if (attributes.requestId == null || attributes.requestId.isBlank()) {
            throw new InvalidRecordException("missing-request-id",
                "The " + attributes.type + " event has no request id (ce_requestid, ce-requestid or requestid header)");
        }
        checkContentType(attributes.contentType);
        final DecodedBody decoded = json.decode(body);
        return new InferenceEvent(kind, unit, attributes.requestId, eventTime, decoded.rows(), decoded.error());
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

    private static void checkContentType(final String contentType) {
        if (contentType == null) {
            return;
        }
        final String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json") && !mediaType.equals("text/json")) {
            throw new InvalidRecordException("unsupported-content-type",
                "Content type " + contentType + " is not decoded yet; this decoder reads application/json");
        }
    }

    private static long parseTime(final String time) {
        try {
            return Instant.parse(time).toEpochMilli();
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(time).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new InvalidRecordException("bad-time", "The event time " + time + " is not RFC 3339", e);
            }
        }
    }

    private static String blankTo(final String value, final String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
