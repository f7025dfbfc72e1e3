package io.monitml.ingest;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The Seldon request-logger attributes of one Kafka record, read in one pass over its headers.
 * It accepts the binary-mode CloudEvents spelling ({@code ce_type}, as Knative's KafkaSink and
 * MonitML's ingest endpoint write), the HTTP spelling ({@code ce-type}) and the bare names of the
 * Seldon v1 executor's direct Kafka logger ({@code type}, {@code requestid}).
 */
public final class LoggerAttributes {

    String type;
    String id;
    String requestId;
    String namespace;
    String deployment;
    String endpoint;
    String modelId;
    String time;
    String protocol;
    String contentType;

    private LoggerAttributes() {
    }

    public static LoggerAttributes read(final Headers headers) {
        final LoggerAttributes attributes = new LoggerAttributes();
        for (Header header : headers) {
            attributes.accept(header.key(), header.value());
        }
        return attributes;
    }

    private void accept(final String key, final byte[] raw) {
        if (raw == null) {
            return;
        }
        final String name = attributeName(key);
        switch (name) {
            case CloudEventAttributes.TYPE -> type = text(raw);
            case CloudEventAttributes.ID -> id = text(raw);
            case CloudEventAttributes.REQUEST_ID -> requestId = text(raw);
            case CloudEventAttributes.NAMESPACE -> namespace = text(raw);
            case CloudEventAttributes.INFERENCE_SERVICE_NAME -> deployment = text(raw);
            case CloudEventAttributes.ENDPOINT -> endpoint = text(raw);
            case CloudEventAttributes.MODEL_ID -> modelId = text(raw);
            case CloudEventAttributes.TIME -> time = text(raw);
            case CloudEventAttributes.PROTOCOL -> protocol = text(raw);
            case CloudEventAttributes.CONTENT_TYPE_HEADER, "contenttype", CloudEventAttributes.DATA_CONTENT_TYPE -> contentType = text(raw);
            default -> {
                // Other attributes (source, specversion, traceparent) do not identify the unit.
            }
        }
    }

    private static String attributeName(final String key) {
        final boolean prefixed = key.length() > 3
            && (key.charAt(0) == 'c' || key.charAt(0) == 'C')
            && (key.charAt(1) == 'e' || key.charAt(1) == 'E')
            && (key.charAt(2) == '_' || key.charAt(2) == '-');
        return (prefixed ? key.substring(3) : key).toLowerCase(java.util.Locale.ROOT);
    }

    private static String text(final byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }

    public String type() {
        return type;
    }

    public String requestId() {
        return requestId;
    }

    public String contentType() {
        return contentType;
    }
}
