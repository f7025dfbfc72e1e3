package io.monitml.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Decodes a SeldonMessage JSON body ({@code {"data": {"names": [...], "ndarray": [[...]]}}} or
 * {@code "tensor": {"shape": [...], "values": [...]}}) with Jackson's token stream straight into
 * a {@link RowBatch}: no trees, no boxing. A response with {@code "status": {"status": "FAILURE"}}
 * decodes to its error. Thread-safe.
 */
public final class SeldonJsonDecoder {

    private final JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
        .build();

    public DecodedBody decode(final byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRecordException("empty-body", "The event has no body");
        }
        try (JsonParser parser = factory.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException("bad-json", "The body is not a JSON object");
            }
            return readMessage(parser);
        } catch (JsonParseException e) {
            throw new InvalidRecordException("bad-json", "The body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidRecordException("bad-json", "The body cannot be read: " + e.getMessage(), e);
        }
    }

    private static DecodedBody readMessage(final JsonParser parser) throws IOException {
        RowBatch rows = null;
        String error = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "data" -> rows = readData(parser);
                case "status" -> error = readStatus(parser);
                case "jsonData", "strData", "binData", "instances", "predictions", "inputs", "outputs" ->
                    throw new InvalidRecordException("unsupported-body",
                        "Bodies with \"" + field + "\" are not decoded yet; this decoder reads SeldonMessage data (ndarray, tensor)");
                default -> parser.skipChildren();
            }
        }
        if (rows == null && error == null) {
            throw new InvalidRecordException("no-data", "The SeldonMessage has neither data nor a failure status");
        }
        return new DecodedBody(rows, error);
    }

    private static String readStatus(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        int code = 200;
        String status = null;
        String info = null;
        String reason = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            final JsonToken token = parser.nextToken();
            switch (field) {
                case "code" -> code = token.isNumeric() ? parser.getIntValue() : code;
                case "status" -> status = parser.getValueAsString();
                case "info" -> info = parser.getValueAsString();
                case "reason" -> reason = parser.getValueAsString();
                default -> parser.skipChildren();
            }
        }
        final boolean failed = "FAILURE".equalsIgnoreCase(status) || code >= 400;
        if (!failed) {
            return null;
        }
        final String message = info != null ? info : reason != null ? reason : "FAILURE";
        return code + ": " + message;
    }

    private static RowBatch readData(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidRecordException("bad-seldon-message", "\"data\" must be an object");
        }
        String[] names = null;
        RowBatch unnamed = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "names" -> names = readNames(parser);
                case "ndarray" -> unnamed = readNdarray(parser);
                case "tensor" -> unnamed = readTensor(parser);
                case "tftensor" -> throw new InvalidRecordException("unsupported-body",
                    "\"tftensor\" data is not decoded yet");
                default -> parser.skipChildren();
            }
        }
        if (unnamed == null) {
            throw new InvalidRecordException("no-data", "\"data\" has neither ndarray nor tensor");
        }
        if (names != null && names.length != unnamed.columns() && unnamed.rows() > 0) {
            throw new InvalidRecordException("names-mismatch",
                "\"names\" lists " + names.length + " columns but the rows have " + unnamed.columns());
        }
        return names == null ? unnamed : unnamed.withNames(names);
    }

    private static String[] readNames(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException("bad-seldon-message", "\"names\" must be an array of strings");
        }
        final List<String> names = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw new InvalidRecordException("bad-seldon-message", "\"names\" must be an array of strings");
            }
            names.add(parser.getText());
        }
        return names.toArray(String[]::new);
    }

    private static RowBatch readNdarray(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException("bad-seldon-message", "\"ndarray\" must be an array");
        }
        final ValueBuffer buffer = new ValueBuffer();
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return buffer.toBatch(null, 0, 0);
        }
        if (token != JsonToken.START_ARRAY) {
            // A flat ndarray is a single row.
            int columns = 0;
            while (token != JsonToken.END_ARRAY) {
                readCell(parser, buffer);
                columns++;
                token = parser.nextToken();
            }
            return buffer.toBatch(null, 1, columns);
        }
        int rows = 0;
        int columns = -1;
        while (token != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_ARRAY) {
                throw new InvalidRecordException("ragged-ndarray", "\"ndarray\" mixes rows and scalars");
            }
            final int before = buffer.size();
            readFlattened(parser, buffer);
            final int width = buffer.size() - before;
            if (columns >= 0 && width != columns) {
                throw new InvalidRecordException("ragged-ndarray",
                    "\"ndarray\" row " + rows + " has " + width + " values, row 0 has " + columns);
            }
            columns = width;
            rows++;
            token = parser.nextToken();
        }
        return buffer.toBatch(null, rows, columns);
    }

    /** Reads one row, flattening nested arrays (an image row becomes one row of pixels). */
    private static void readFlattened(final JsonParser parser, final ValueBuffer buffer) throws IOException {
        JsonToken token = parser.nextToken();
        while (token != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY) {
                readFlattened(parser, buffer);
            } else {
                readCell(parser, buffer);
            }
            token = parser.nextToken();
        }
    }

    private static void readCell(final JsonParser parser, final ValueBuffer buffer) throws IOException {
        switch (parser.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> buffer.addNumber(parser.getDoubleValue());
            case VALUE_TRUE -> buffer.addNumber(1.0);
            case VALUE_FALSE -> buffer.addNumber(0.0);
            case VALUE_NULL -> buffer.addNumber(Double.NaN);
            case VALUE_STRING -> buffer.addString(parser.getText());
            default -> throw new InvalidRecordException("unsupported-body",
                "\"ndarray\" holds " + parser.currentToken() + "; rows of objects are not decoded yet");
        }
    }

    private static RowBatch readTensor(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidRecordException("bad-seldon-message", "\"tensor\" must be an object");
        }
        long[] shape = null;
        ValueBuffer values = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "shape" -> shape = readShape(parser);
                case "values" -> values = readValues(parser);
                default -> parser.skipChildren();
            }
        }
        if (values == null) {
            throw new InvalidRecordException("no-data", "\"tensor\" has no values");
        }
        final int count = values.size();
        if (shape == null || shape.length == 0) {
            return values.toBatch(null, 1, count);
        }
        final long rows = shape[0];
        long columns = 1;
        for (int i = 1; i < shape.length; i++) {
            columns *= shape[i];
        }
        if (shape.length == 1) {
            // A 1-D tensor is one row, as with a flat ndarray.
            return checkShape(values, shape, 1, rows);
        }
        return checkShape(values, shape, rows, columns);
    }

    private static RowBatch checkShape(final ValueBuffer values, final long[] shape, final long rows, final long columns) {
        if (rows * columns != values.size()) {
            throw new InvalidRecordException("shape-mismatch", "\"tensor\" shape " + java.util.Arrays.toString(shape)
                + " needs " + rows * columns + " values, it has " + values.size());
        }
        return values.toBatch(null, (int) rows, (int) columns);
    }

    private static long[] readShape(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException("bad-seldon-message", "\"shape\" must be an array of integers");
        }
        final List<Long> dims = new ArrayList<>(4);
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0) {
                throw new InvalidRecordException("bad-seldon-message", "\"shape\" must be an array of non-negative integers");
            }
            dims.add(parser.getLongValue());
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static ValueBuffer readValues(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException("bad-seldon-message", "\"values\" must be an array");
        }
        final ValueBuffer buffer = new ValueBuffer();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            readCell(parser, buffer);
        }
        return buffer;
    }
}
