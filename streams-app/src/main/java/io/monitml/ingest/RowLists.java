package io.monitml.ingest;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/** TensorFlow's lists of rows ({@code instances}, {@code predictions}), whose rows may be lists, objects or scalars. */
final class RowLists {

    private RowLists() {
    }

    /**
     * Reads a list of rows (TensorFlow {@code instances} and {@code predictions}): lists (flattened,
     * all of one width), objects (dict rows, see {@link DictRows}), or scalars (one column).
     */
    static RowBatch readRowList(final JsonParser parser, final String where) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException("bad-tf-message", "\"" + where + "\" must be a list of rows");
        }
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return RowBatch.of(null, new double[0], null, 0, 0);
        }
        if (token == JsonToken.START_OBJECT) {
            final DictRows rows = new DictRows(where);
            while (token != JsonToken.END_ARRAY) {
                if (token != JsonToken.START_OBJECT) {
                    throw new InvalidRecordException("bad-tf-message", "\"" + where + "\" mixes objects with other rows");
                }
                rows.readRow(parser);
                token = parser.nextToken();
            }
            return rows.toBatch();
        }
        final ValueBuffer buffer = new ValueBuffer();
        if (token != JsonToken.START_ARRAY) {
            // A list of scalars is one value per row: the shape of a one-output regression.
            int rows = 0;
            while (token != JsonToken.END_ARRAY) {
                if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
                    throw new InvalidRecordException("bad-tf-message", "\"" + where + "\" mixes scalars with other rows");
                }
                JsonCells.readScalar(parser, buffer, where);
                rows++;
                token = parser.nextToken();
            }
            return buffer.toBatch(null, rows, 1);
        }
        return JsonCells.readListRows(parser, buffer, where, "ragged-rows");
    }
}
