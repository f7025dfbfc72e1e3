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
            case "type" -> type = text(raw);
            case "id" -> id = text(raw);
            case "requestid" -> requestId = text(raw);
            case "namespace" -> namespace = text(raw);
            case "inferenceservicename" -> deployment = text(raw);
            case "endpoint" -> endpoint = text(raw);
            case "modelid" -> modelId = text(raw);
            case "time" -> time = text(raw);
            case "protocol" -> protocol = text(raw);
            case "content-type", "contenttype", "datacontenttype" -> contentType = text(raw);
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
