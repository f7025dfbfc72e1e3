package io.monitml.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/**
 * The token-level readers every protocol shares: scalar cells, flattened rows, lists of rows,
 * shapes. Numbers go straight from the parser into a {@link ValueBuffer}, never boxed.
 */
final class JsonCells {

    private JsonCells() {
    }

    /**
     * Reads the scalar at the parser's current token into the buffer: numbers as they are,
     * booleans as 1/0, null as missing, strings as categorical cells.
     *
     * @param where the field being read, for the message when the token is not a scalar
     */
    static void readScalar(final JsonParser parser, final ValueBuffer buffer, final String where) throws IOException {
        switch (parser.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> buffer.addNumber(finiteNumber(parser, where));
            case VALUE_TRUE -> buffer.addNumber(1.0);
            case VALUE_FALSE -> buffer.addNumber(0.0);
            case VALUE_NULL -> buffer.addNumber(Double.NaN);
            case VALUE_STRING -> buffer.addString(parser.getText());
            default -> throw new InvalidRecordException("unsupported-body",
                "\"" + where + "\" holds " + describe(parser.currentToken()) + " where a number, string, boolean or null belongs");
        }
    }

    /**
     * The number at the parser's current token. The parser accepts NaN and Infinity literals only so
     * that they can be rejected here with their own reason, together with numbers too large for a
     * double: a non-finite value would poison every statistic it reaches, and null already says
     * "missing".
     */
    static double finiteNumber(final JsonParser parser, final String where) throws IOException {
        final double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
            throw new InvalidRecordException("non-finite-number", "\"" + where + "\" holds " + parser.getText()
                + ", which is not a finite number (JSON has no NaN or Infinity; send null for a missing value)");
        }
        return value;
    }

    /** Reads the array the parser is on, flattening nested arrays (an image row becomes one row of pixels). */
    static void readFlattened(final JsonParser parser, final ValueBuffer buffer, final String where) throws IOException {
        JsonToken token = parser.nextToken();
        while (token != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY) {
                readFlattened(parser, buffer, where);
            } else {
                readScalar(parser, buffer, where);
            }
            token = parser.nextToken();
        }
    }

    /**
     * Reads rows that are lists, the parser on the first row's START_ARRAY, up to the END_ARRAY of
     * the enclosing list. Every row must flatten to the same width.
     */
    static RowBatch readListRows(final JsonParser parser, final ValueBuffer buffer, final String where,
                                 final String raggedReason) throws IOException {
        JsonToken token = parser.currentToken();
        int rows = 0;
        int columns = -1;
        while (token != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_ARRAY) {
                throw new InvalidRecordException(raggedReason, "\"" + where + "\" mixes rows and scalars");
            }
            final int before = buffer.size();
            readFlattened(parser, buffer, where);
            final int width = buffer.size() - before;
            if (columns >= 0 && width != columns) {
                throw new InvalidRecordException(raggedReason,
                    "\"" + where + "\" row " + rows + " has " + width + " values, row 0 has " + columns);
            }
            columns = width;
            rows++;
            token = parser.nextToken();
        }
        return buffer.toBatch(null, rows, columns);
    }

    /** Reads an array of non-negative integers. */
    static long[] readShape(final JsonParser parser, final String badReason) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException(badReason, "\"shape\" must be an array of non-negative integers");
        }
        long[] dims = new long[4];
        int count = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER || parser.getLongValue() < 0) {
                throw new InvalidRecordException(badReason, "\"shape\" must be an array of non-negative integers");
            }
            if (count == dims.length) {
                dims = Arrays.copyOf(dims, count * 2);
            }
            dims[count++] = parser.getLongValue();
        }
        return Arrays.copyOf(dims, count);
    }

    /** The product of the dimensions from {@code from} on, or -1 when it overflows a long. */
    static long product(final long[] shape, final int from) {
        long product = 1;
        for (int i = from; i < shape.length; i++) {
            try {
                product = Math.multiplyExact(product, shape[i]);
            } catch (ArithmeticException overflow) {
                return -1;
            }
        }
        return product;
    }

    /** Reads an array of strings. */
    static String[] readStrings(final JsonParser parser, final String where, final String badReason) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException(badReason, "\"" + where + "\" must be an array of strings");
        }
        final List<String> strings = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw new InvalidRecordException(badReason, "\"" + where + "\" must be an array of strings");
            }
            strings.add(parser.getText());
        }
        return strings.toArray(String[]::new);
    }

    /** The scalar at the current token as text, or null (skipping it) when it is null, an object or an array. */
    static String readText(final JsonParser parser) throws IOException {
        final JsonToken token = parser.currentToken();
        if (token.isScalarValue() && token != JsonToken.VALUE_NULL) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    static String describe(final JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.toString();
        };
    }
}
