package io.monitml.ingest;

import java.io.IOException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/**
 * Readers for the fields of a SeldonMessage: {@code data} ({@code names} with {@code ndarray} or
 * {@code tensor}), {@code jsonData} (a dict row or a list of dict rows) and {@code status}.
 */
final class SeldonFields {

    private static final String BAD = "bad-seldon-message";

    private SeldonFields() {
    }

    /** The error a {@code status} reports, or null when it does not report a failure. */
    static String readStatus(final JsonParser parser) throws IOException {
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
                case "code" -> code = token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT ? parser.getIntValue() : code;
                case "status" -> status = JsonCells.readText(parser);
                case "info" -> info = JsonCells.readText(parser);
                case "reason" -> reason = JsonCells.readText(parser);
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

    static RowBatch readData(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidRecordException(BAD, "\"data\" must be an object");
        }
        String[] names = null;
        RowBatch unnamed = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "names" -> names = JsonCells.readStrings(parser, "names", BAD);
                case "ndarray" -> unnamed = readNdarray(parser);
                case "tensor" -> unnamed = readTensor(parser);
                case "tftensor" -> throw new InvalidRecordException("unsupported-body",
                    "\"tftensor\" data is not decoded; send ndarray or tensor");
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
        // An empty batch keeps its names only when they fit it.
        return names == null || names.length != unnamed.columns() ? unnamed : unnamed.withNames(names);
    }

    /** {@code jsonData} as a dict row or a list of dict rows; anything else is not a table. */
    static RowBatch readJsonData(final JsonParser parser) throws IOException {
        final DictRows rows = new DictRows("jsonData");
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            rows.readRow(parser);
            return rows.toBatch();
        }
        if (parser.currentToken() == JsonToken.START_ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw new InvalidRecordException("unsupported-body",
                        "\"jsonData\" is decoded only as a dict row or a list of dict rows; this list holds "
                            + JsonCells.describe(parser.currentToken()));
                }
                rows.readRow(parser);
            }
            return rows.toBatch();
        }
        throw new InvalidRecordException("unsupported-body",
            "\"jsonData\" is decoded only as a dict row or a list of dict rows, not " + JsonCells.describe(parser.currentToken()));
    }

    private static RowBatch readNdarray(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException(BAD, "\"ndarray\" must be an array");
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
                if (token == JsonToken.START_ARRAY) {
                    throw new InvalidRecordException("ragged-ndarray", "\"ndarray\" mixes rows and scalars");
                }
                JsonCells.readScalar(parser, buffer, "ndarray");
                columns++;
                token = parser.nextToken();
            }
            return buffer.toBatch(null, 1, columns);
        }
        return JsonCells.readListRows(parser, buffer, "ndarray", "ragged-ndarray");
    }

    private static RowBatch readTensor(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidRecordException(BAD, "\"tensor\" must be an object");
        }
        long[] shape = null;
        ValueBuffer values = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "shape" -> shape = JsonCells.readShape(parser, BAD);
                case "values" -> values = readValues(parser);
                default -> parser.skipChildren();
            }
        }
        if (values == null) {
            throw new InvalidRecordException("no-data", "\"tensor\" has no values");
        }
        if (shape == null || shape.length == 0) {
            return values.toBatch(null, 1, values.size());
        }
        // A 1-D tensor is one row, as with a flat ndarray.
        final long rows = shape.length == 1 ? 1 : shape[0];
        final long columns = JsonCells.product(shape, shape.length == 1 ? 0 : 1);
        final long cells = columns < 0 ? -1 : JsonCells.product(new long[] {rows, columns}, 0);
        if (cells != values.size()) {
            throw new InvalidRecordException("shape-mismatch", "\"tensor\" shape " + Arrays.toString(shape)
                + " needs " + (cells < 0 ? "more" : cells) + " values, it has " + values.size());
        }
        RowBatch.checkDimensions(rows, columns, "\"tensor\" of shape " + Arrays.toString(shape));
        return values.toBatch(null, (int) rows, (int) columns);
    }

    private static ValueBuffer readValues(final JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException(BAD, "\"values\" must be an array");
        }
        final ValueBuffer buffer = new ValueBuffer();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            JsonCells.readScalar(parser, buffer, "tensor.values");
        }
        return buffer;
    }
}
