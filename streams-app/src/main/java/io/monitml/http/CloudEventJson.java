package io.monitml.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import io.monitml.ingest.CloudEventAttributes;

/**
 * Reads the CloudEvents JSON format: one event ({@code application/cloudevents+json}) or a batch
 * ({@code application/cloudevents-batch+json}). A streaming parser is used rather than a tree so
 * that {@code data} can be kept as the exact bytes the client sent: re-serialising a tree would
 * round numbers through double and change what the decoders downstream see.
 */
final class CloudEventJson {

    private static final String DATA = "data";
    private static final String DATA_BASE64 = "data_base64";
    private static final String DEFAULT_DATA_CONTENT_TYPE = "application/json";

    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private CloudEventJson() {
    }

    static CloudEvent readEvent(final byte[] body) throws IngestRejection {
        try (JsonParser parser = utf8Parser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw IngestRejection.malformed("a structured CloudEvent must be a JSON object");
            }
            final CloudEvent event = readObject(parser, body);
            expectEnd(parser);
            return event;
        } catch (JsonProcessingException e) {
            throw IngestRejection.malformed(describe(e));
        } catch (IOException e) {
            throw IngestRejection.malformed(e.getMessage());
        }
    }

    static List<CloudEvent> readBatch(final byte[] body) throws IngestRejection {
        final List<CloudEvent> events = new ArrayList<>();
        try (JsonParser parser = utf8Parser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw IngestRejection.malformed("a CloudEvents batch must be a JSON array of events");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token != JsonToken.START_OBJECT) {
                    throw IngestRejection.malformed("event " + events.size() + ": not a JSON object");
                }
                try {
                    events.add(readObject(parser, body));
                } catch (IngestRejection e) {
                    throw e.inEvent(events.size());
                }
            }
            expectEnd(parser);
            return events;
        } catch (JsonProcessingException e) {
            throw IngestRejection.malformed(describe(e));
        } catch (IOException e) {
            throw IngestRejection.malformed(e.getMessage());
        }
    }

    /**
     * A parser over the body, which must be UTF-8 as JSON between systems is (RFC 8259): {@code data}
     * is kept as the bytes the client sent, located by byte offset, and Jackson reads UTF-16 and
     * UTF-32 through a character reader that has no byte offsets.
     */
    private static JsonParser utf8Parser(final byte[] body) throws IOException, IngestRejection {
        final JsonParser parser = FACTORY.createParser(body);
        if (parser.currentLocation().getByteOffset() < 0) {
            parser.close();
            throw IngestRejection.malformed("CloudEvents JSON must be encoded in UTF-8; this body is UTF-16 or UTF-32");
        }
        return parser;
    }

    /** Reads the members of an object whose START_OBJECT is the current token. */
    private static CloudEvent readObject(final JsonParser parser, final byte[] body) throws IOException, IngestRejection {
        final Map<String, String> attributes = new LinkedHashMap<>();
        JsonToken dataToken = null;
        byte[] rawData = null;
        String dataText = null;
        String base64 = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if (DATA.equals(name)) {
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                dataToken = value;
                final long start = parser.currentTokenLocation().getByteOffset();
                if (value == JsonToken.VALUE_STRING) {
                    // Also finishes the lazily read string, so that the location below is past it.
                    dataText = parser.getText();
                }
                parser.skipChildren();
                final long end = parser.currentLocation().getByteOffset();
                rawData = Arrays.copyOfRange(body, Math.toIntExact(start), Math.toIntExact(end));
            } else if (DATA_BASE64.equals(name)) {
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (value != JsonToken.VALUE_STRING) {
                    throw IngestRejection.malformed("data_base64 must be a string");
                }
                base64 = parser.getText();
            } else {
                attribute(parser, name, value, attributes);
            }
        }
        if (rawData != null && base64 != null) {
            throw IngestRejection.malformed("an event has either data or data_base64, not both");
        }
        final String declaredType = attributes.remove(CloudEventAttributes.DATA_CONTENT_TYPE);
        if (base64 != null) {
            return new CloudEvent(attributes, declaredType, decodeBase64(base64));
        }
        if (rawData == null) {
            return new CloudEvent(attributes, declaredType, new byte[0]);
        }
        final String contentType = declaredType == null ? DEFAULT_DATA_CONTENT_TYPE : declaredType;
        // The JSON format carries non-JSON text as a JSON string; its content is the data, not the quoted literal.
        if (dataToken == JsonToken.VALUE_STRING && !isJson(contentType)) {
            return new CloudEvent(attributes, contentType, dataText.getBytes(StandardCharsets.UTF_8));
        }
        return new CloudEvent(attributes, contentType, rawData);
    }

    private static void attribute(final JsonParser parser, final String name, final JsonToken value,
                                  final Map<String, String> attributes) throws IOException, IngestRejection {
        if (!CloudEvent.isValidName(name)) {
            throw IngestRejection.malformed("attribute name '" + name
                + "' is not lowercase letters and digits as CloudEvents 1.0 requires");
        }
        switch (value) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> attributes.put(name, parser.getText());
            case VALUE_TRUE -> attributes.put(name, "true");
            case VALUE_FALSE -> attributes.put(name, "false");
            case VALUE_NULL -> {
                // The JSON format spells an absent attribute as null.
            }
            default -> throw IngestRejection.malformed("attribute '" + name + "' must be a string, number or boolean");
        }
    }

    private static byte[] decodeBase64(final String text) throws IngestRejection {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw IngestRejection.malformed("data_base64 is not Base64: " + e.getMessage());
        }
    }

    private static void expectEnd(final JsonParser parser) throws IOException, IngestRejection {
        if (parser.nextToken() != null) {
            throw IngestRejection.malformed("unexpected content after the end of the JSON value at "
                + position(parser.currentTokenLocation()));
        }
    }

    static boolean isJson(final String contentType) {
        final String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.equals("text/json") || mediaType.endsWith("+json");
    }

    /** The parser's own message and position, without the source excerpt Jackson can append. */
    private static String describe(final JsonProcessingException e) {
        final JsonLocation location = e.getLocation();
        return location == null ? e.getOriginalMessage() : e.getOriginalMessage() + " at " + position(location);
    }

    private static String position(final JsonLocation location) {
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
