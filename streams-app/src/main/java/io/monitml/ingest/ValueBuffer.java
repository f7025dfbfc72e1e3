package io.monitml.ingest;

import java.util.Arrays;

import io.monitml.ingest.decoded.RowBatch;

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

    /** The number at that cell: NaN for a string or a JSON null. */
    double number(final int index) {
        return values[index];
    }

    /** The string at that cell, or null when it holds a number or a JSON null. */
    String string(final int index) {
        return strings == null ? null : strings[index];
    }

    boolean hasStrings() {
        return strings != null;
    }

    /** Copies {@code length} cells from {@code from} into row-major arrays (strings may be null when this buffer has none). */
    void copyTo(final int from, final double[] toValues, final String[] toStrings, final int to, final int length) {
        System.arraycopy(values, from, toValues, to, length);
        if (strings != null) {
            System.arraycopy(strings, from, toStrings, to, length);
        }
    }

    RowBatch toBatch(final String[] names, final int rows, final int columns) {
        final String[] cellStrings = strings == null ? null : Arrays.copyOf(strings, size);
        return RowBatch.of(names, Arrays.copyOf(values, size), cellStrings, rows, columns);
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
