package io.monitml.ingest.protobuf;

import java.util.Arrays;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/**
 * Collects the cells of google.protobuf.Value rows (ndarray, jsonData): numbers in a primitive
 * array, strings in a parallel array allocated only once a string appears.
 */
final class Cells {

    /** Row-major cells before names are known. */
    record Grid(double[] values, String[] strings, int rows, int columns) {

        RowBatch toBatch(final String[] names) {
            return RowBatch.of(names, values, strings, rows, columns);
        }
    }

    private double[] values;
    private String[] strings;
    private int size;

    Cells(final int capacity) {
        values = new double[Math.max(capacity, 8)];
    }

    int size() {
        return size;
    }

    void add(final Value value, final String where) {
        if (size == values.length) {
            grow();
        }
        set(size++, value, where);
    }

    /** Appends one row, flattening nested lists (an image row becomes one row of pixels). */
    void addFlattened(final ListValue row) {
        for (int i = 0; i < row.getValuesCount(); i++) {
            final Value value = row.getValues(i);
            if (value.getKindCase() == Value.KindCase.LIST_VALUE) {
                addFlattened(value.getListValue());
            } else {
                add(value, "ndarray");
            }
        }
    }

    /** Makes the first {@code count} cells missing, for rows whose cells are then set by column. */
    void fillMissing(final int count) {
        if (values.length < count) {
            values = new double[count];
        }
        Arrays.fill(values, 0, count, Double.NaN);
        size = count;
    }

    void set(final int index, final Value value, final String where) {
        switch (value.getKindCase()) {
            case NUMBER_VALUE -> values[index] = finite(value.getNumberValue());
            case BOOL_VALUE -> values[index] = value.getBoolValue() ? 1.0 : 0.0;
            case NULL_VALUE, KIND_NOT_SET -> values[index] = Double.NaN;
            case STRING_VALUE -> {
                if (strings == null) {
                    strings = new String[values.length];
                }
                strings[index] = value.getStringValue();
                values[index] = Double.NaN;
            }
            case STRUCT_VALUE, LIST_VALUE -> throw new InvalidRecordException("unsupported-body",
                "\"" + where + "\" holds a nested " + value.getKindCase() + " as a cell; it is not decoded yet");
        }
    }

    Grid toGrid(final int rows, final int columns) {
        final int cells = rows * columns;
        return new Grid(values.length == cells ? values : Arrays.copyOf(values, cells),
            strings == null ? null : Arrays.copyOf(strings, cells), rows, columns);
    }

    private void grow() {
        values = Arrays.copyOf(values, values.length * 2);
        if (strings != null) {
            strings = Arrays.copyOf(strings, values.length);
        }
    }

    /** NaN passes as a missing value; infinities would poison every sum downstream, so the record is refused. */
    static double finite(final double value) {
        if (Double.isInfinite(value)) {
            throw new InvalidRecordException("non-finite-number", "The body holds " + value
                + "; only finite numbers and NaN (missing) are accepted");
        }
        return value;
    }
}
