package io.monitml.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/**
 * The {@code inputs} or {@code outputs} tensors of an Open Inference Protocol (V2) body, read one
 * by one and joined side by side into one {@link RowBatch}. The naming rules are on
 * {@link JsonBodyDecoder}.
 */
final class OpenInferenceTensors {

    private static final String BAD = "bad-v2-message";

    private final List<Tensor> tensors = new ArrayList<>(4);
    private String field;

    /** Reads the array of tensors of {@code inputs} or {@code outputs}, the parser on its value. */
    void read(final JsonParser parser, final String tensorsField) throws IOException {
        if (field != null && !field.equals(tensorsField)) {
            throw new InvalidRecordException(BAD, "The body has both \"" + field + "\" and \"" + tensorsField + "\"");
        }
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            throw new InvalidRecordException("unsupported-body", "\"" + tensorsField
                + "\" is an object: the TensorFlow columnar format is not decoded; send a list of V2 tensors or TensorFlow \"instances\"");
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException(BAD, "\"" + tensorsField + "\" must be a list of tensors");
        }
        field = tensorsField;
        tensors.clear();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException(BAD, "\"" + tensorsField + "\" must be a list of tensor objects");
            }
            tensors.add(readTensor(parser, tensorsField + "[" + tensors.size() + "]"));
        }
    }

    boolean isEmpty() {
        return tensors.isEmpty();
    }

    RowBatch toBatch() {
        if (tensors.isEmpty()) {
            throw new InvalidRecordException("no-data", "The body has no tensors");
        }
        final int rows = tensors.get(0).rows;
        long total = 0;
        boolean strings = false;
        for (final Tensor tensor : tensors) {
            if (tensor.rows != rows) {
                throw new InvalidRecordException("shape-mismatch", "Tensor \"" + tensor.name + "\" has " + tensor.rows
                    + " rows, tensor \"" + tensors.get(0).name + "\" has " + rows);
            }
            total += tensor.columns;
            strings |= tensor.data.hasStrings();
        }
        if (rows > 0 && total > RowBatch.MAX_CELLS / rows) {
            throw new InvalidRecordException("shape-mismatch", "The " + tensors.size() + " tensors hold " + rows + " rows of "
                + total + " columns, more than a batch holds");
        }
        RowBatch.checkDimensions(rows, total, "The " + tensors.size() + " tensors together");
        final int columns = (int) total;
        if (tensors.size() == 1) {
            final Tensor only = tensors.get(0);
            // One tensor of several columns is a plain feature matrix: positional names let the
            // names configured for the model apply.
            final String[] names = only.columns == 1 ? new String[] {only.name} : null;
            return only.data.toBatch(names, rows, columns);
        }
        final String[] names = new String[columns];
        final double[] values = new double[rows * columns];
        final String[] cellStrings = strings ? new String[values.length] : null;
        int offset = 0;
        for (final Tensor tensor : tensors) {
            for (int j = 0; j < tensor.columns; j++) {
                names[offset + j] = tensor.columns == 1 ? tensor.name : tensor.name + "_" + j;
            }
            for (int row = 0; row < rows; row++) {
                tensor.data.copyTo(row * tensor.columns, values, cellStrings, row * columns + offset, tensor.columns);
            }
            offset += tensor.columns;
        }
        return RowBatch.of(names, values, cellStrings, rows, columns);
    }

    private static Tensor readTensor(final JsonParser parser, final String where) throws IOException {
        String name = null;
        long[] shape = null;
        String datatype = null;
        ValueBuffer data = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String key = parser.currentName();
            parser.nextToken();
            switch (key) {
                case "name" -> name = JsonCells.readText(parser);
                case "shape" -> shape = JsonCells.readShape(parser, BAD);
                case "datatype" -> datatype = JsonCells.readText(parser);
                case "data" -> data = readData(parser, where);
                default -> parser.skipChildren();
            }
        }
        if (name == null || shape == null || datatype == null || data == null) {
            throw new InvalidRecordException(BAD, "Tensor " + where + " lacks "
                + (name == null ? "\"name\"" : shape == null ? "\"shape\"" : datatype == null ? "\"datatype\"" : "\"data\""));
        }
        final String where2 = "tensor \"" + name + "\"";
        checkDatatype(datatype, data, where2);
        final long cells = JsonCells.product(shape, 0);
        if (cells != data.size()) {
            throw new InvalidRecordException("shape-mismatch", "The " + where2 + " has shape " + Arrays.toString(shape)
                + ", which needs " + (cells < 0 ? "more than 2^63" : Long.toString(cells)) + " values, but its data holds " + data.size());
        }
        // shape [] is one scalar, [n] n rows of one value, [n, a, b...] n rows of a*b*... values.
        final long rows = shape.length == 0 ? 1 : shape[0];
        final long columns = shape.length <= 1 ? 1 : JsonCells.product(shape, 1);
        RowBatch.checkDimensions(rows, columns, "The " + where2 + " of shape " + Arrays.toString(shape));
        return new Tensor(name, (int) rows, (int) columns, data);
    }

    private static ValueBuffer readData(final JsonParser parser, final String where) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidRecordException(BAD, "The \"data\" of " + where + " must be an array");
        }
        final ValueBuffer data = new ValueBuffer();
        JsonCells.readFlattened(parser, data, where + ".data");
        return data;
    }

    /** Checks that the cells fit the datatype, which may come after the data in the body. */
    private static void checkDatatype(final String datatype, final ValueBuffer data, final String where) {
        switch (datatype.toUpperCase(Locale.ROOT)) {
            case "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64" -> {
                if (data.hasStrings()) {
                    for (int i = 0; i < data.size(); i++) {
                        if (data.string(i) != null) {
                            throw new InvalidRecordException("bad-value", "The " + where + " is " + datatype
                                + " but holds the string \"" + abbreviate(data.string(i)) + "\"");
                        }
                    }
                }
            }
            case "BYTES" -> {
                for (int i = 0; i < data.size(); i++) {
                    // NaN with no string is a JSON null: non-finite numbers never get this far.
                    if (data.string(i) == null && !Double.isNaN(data.number(i))) {
                        throw new InvalidRecordException("bad-value", "The " + where + " is BYTES but holds the number " + data.number(i));
                    }
                }
            }
            default -> throw new InvalidRecordException("unknown-datatype", "The " + where + " has datatype \"" + abbreviate(datatype)
                + "\"; known are BOOL, UINT8-64, INT8-64, FP16, FP32, FP64 and BYTES");
        }
    }

    private static String abbreviate(final String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private record Tensor(String name, int rows, int columns, ValueBuffer data) {
    }
}
