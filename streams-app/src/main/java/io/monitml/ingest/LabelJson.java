package io.monitml.ingest;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * Reads a label ({@code schemas/json/label.schema.json}) from the labels topic's record or a line of
 * {@code POST /api/v1/labels}: {@code {"requestId", "truth", "time"?}}. What does not fit the schema
 * is refused with a reason code, as the events' decoders do: {@code bad-json}, {@code missing-request-id},
 * {@code key-mismatch} (the record's key names another request), {@code bad-truth}, {@code non-finite-number},
 * {@code bad-time}, {@code limit-exceeded}.
 */
public final class LabelJson {

    /** As the schema's {@code maxLength} of the request id. */
    public static final int MAX_REQUEST_ID_LENGTH = 256;
    /** As the schema's {@code maxItems} of a vector truth. */
    public static final int MAX_VECTOR_LENGTH = 4096;

    /** A label is a few hundred bytes: nothing in one nests deeper than a vector in an object. */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build()).build())
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();

    private LabelJson() {
    }

    /**
     * @param key            the record's key (the request id), or null
     * @param receivedMillis the time when the label has none: when it was received
     */
    public static Label read(final byte[] value, final String key, final long receivedMillis) {
        final JsonNode node;
        try {
            node = value == null ? null : JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("bad-json", "The label is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("bad-json", "The label could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRecordException("bad-json", "A label is a JSON object {\"requestId\", \"truth\", \"time\"?}");
        }
        final JsonNode id = node.get("requestId");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new InvalidRecordException("missing-request-id", "The label has no requestId (the request whose prediction it judges)");
        }
        final String requestId = id.asText();
        if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw new InvalidRecordException("limit-exceeded", "The label's requestId is longer than " + MAX_REQUEST_ID_LENGTH);
        }
        if (key != null && !key.isEmpty() && !key.equals(requestId)) {
            throw new InvalidRecordException("key-mismatch", "The record's key names another request than the label's requestId");
        }
        final long time = time(node.get("time"), receivedMillis);
        final JsonNode truth = node.get("truth");
        if (truth == null || truth.isNull()) {
            throw new InvalidRecordException("bad-truth", "The label has no truth (a number, a class or an array of numbers)");
        }
        if (truth.isNumber()) {
            return Label.ofNumber(requestId, finite(truth.asDouble()), time);
        }
        if (truth.isTextual()) {
            final String category = truth.asText();
            if (category.isEmpty() || category.length() > Limits.MAX_CATEGORY_LENGTH) {
                throw new InvalidRecordException("bad-truth", "A class truth has 1 to " + Limits.MAX_CATEGORY_LENGTH + " characters");
            }
            return Label.ofCategory(requestId, category, time);
        }
        if (truth.isArray()) {
            if (truth.isEmpty() || truth.size() > MAX_VECTOR_LENGTH) {
                throw new InvalidRecordException(truth.isEmpty() ? "bad-truth" : "limit-exceeded",
                    "A vector truth has 1 to " + MAX_VECTOR_LENGTH + " numbers, this one " + truth.size());
            }
            final double[] values = new double[truth.size()];
            for (int i = 0; i < values.length; i++) {
                if (!truth.get(i).isNumber()) {
                    throw new InvalidRecordException("bad-truth", "A vector truth holds numbers only; item " + i + " is not one");
                }
                values[i] = finite(truth.get(i).asDouble());
            }
            return Label.ofVector(requestId, values, time);
        }
        throw new InvalidRecordException("bad-truth", "The truth is a number, a class or an array of numbers, not " + truth.getNodeType());
    }

    /** The label as the schema writes it, with its time in epoch milliseconds: what {@link #read} reads back to an equal label. */
    public static byte[] write(final Label label) {
        try (java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + (label.vector() == null ? 0 : 24 * label.vector().length));
             com.fasterxml.jackson.core.JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("requestId", label.requestId());
            json.writeFieldName("truth");
            if (label.category() != null) {
                json.writeString(label.category());
            } else if (label.vector() != null) {
                json.writeArray(label.vector(), 0, label.vector().length);
            } else {
                json.writeNumber(label.number());
            }
            json.writeNumberField("time", label.timeMillis());
            json.writeEndObject();
            json.close();
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double finite(final double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidRecordException("non-finite-number", "The truth is not a finite number");
        }
        return value;
    }

    private static long time(final JsonNode time, final long receivedMillis) {
        if (time == null || time.isNull()) {
            return receivedMillis;
        }
        if (time.isIntegralNumber() && time.canConvertToLong() && time.asLong() >= 0) {
            return time.asLong();
        }
        if (time.isTextual()) {
            try {
                return Instant.parse(time.asText()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                // Falls through to the refusal.
            }
        }
        throw new InvalidRecordException("bad-time", "The label's time is an ISO-8601 instant or epoch milliseconds");
    }
}
