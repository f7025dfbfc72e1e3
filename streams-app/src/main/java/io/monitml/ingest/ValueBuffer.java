package io.monitml.ingest;

import java.util.Arrays;

/**
 * Collects the cells of a body while it streams by: numbers into a primitive array (no boxing),
 * strings into a parallel array that is only allocated once a string appears.
 */
final class ValueBuffer {

    private double[] values = new double[64];
    private String[] strings;
    private int size;

    void addNumber(final double value) {
        ensureCapacity();
        values[size++] = value;
    }

    void addString(final String value) {
        ensureCapacity();
        if (strings == null) {
            strings = new String[values.length];
        }
        strings[size] = value;
        values[size++] = Double.NaN;
    }

    int size() {
        return size;
    }

    RowBatch toBatch(final String[] names, final int rows, final int columns) {
        final String[] cellStrings = strings == null ? null : Arrays.copyOf(strings, size);
        return new RowBatch(names, Arrays.copyOf(values, size), cellStrings, rows, columns);
    }

    private void ensureCapacity() {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            if (strings != null) {
                strings = Arrays.copyOf(strings, size * 2);
            }
        }
    }
}
