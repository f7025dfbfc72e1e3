package io.monitml.ingest.decoded;

import java.util.Arrays;

/**
 * The rows of one request or response, decoded straight into one row-major primitive array.
 * Missing values are NaN; string values (categorical features, class labels) sit in a parallel
 * array that exists only when the body had strings.
 */
public final class RowBatch {

    private final String[] names;
    private final double[] values;
    private final String[] strings;
    private final int rows;
    private final int columns;

    /** The most cells, rows or columns a batch may have: the largest array a JVM reliably allocates. */
    public static final long MAX_CELLS = Integer.MAX_VALUE - 8;
    /**
     * The most columns a tensor without rows may declare: its cells do not bound them, yet they
     * become names. Far above any tabular model or image (224 x 224 x 3 is 150,528).
     */
    public static final long MAX_EMPTY_COLUMNS = 1 << 22;
    /**
     * The most rows a tensor without columns may declare: its cells do not bound them either, yet
     * each becomes an inference record downstream, so a few bytes must not declare billions.
     */
    public static final long MAX_EMPTY_ROWS = 1 << 16;

    private RowBatch(final String[] names, final double[] values, final String[] strings, final int rows, final int columns) {
        this.names = names;
        this.values = values;
        this.strings = strings;
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * Rows from row-major cells.
     *
     * @param names   column names, or null for positional names
     * @param strings string cells (NaN in {@code values} at the same index), or null when there are none
     */
    public static RowBatch of(final String[] names, final double[] values, final String[] strings, final int rows, final int columns) {
        if (values.length < rows * columns || strings != null && strings.length < rows * columns) {
            throw new IllegalArgumentException("fewer cells than " + rows + " x " + columns);
        }
        if (names != null && names.length != columns) {
            throw new IllegalArgumentException(names.length + " names for " + columns + " columns");
        }
        return new RowBatch(names, values, strings, rows, columns);
    }

    public static RowBatch numeric(final String[] names, final double[] rowMajor, final int rows, final int columns) {
        if (rowMajor.length < rows * columns) {
            throw new IllegalArgumentException("values hold " + rowMajor.length + " numbers, fewer than " + rows + " x " + columns);
        }
        return new RowBatch(names, rowMajor, null, rows, columns);
    }

    /**
     * Checks the rows and columns a tensor declares, once its cells are known to match them: with a
     * zero dimension the others are not bounded by the cells, and a huge one would wrap to a
     * negative int, allocate names for billions of empty columns, or turn into billions of empty rows.
     *
     * @param rows    the declared rows, negative when their product overflowed
     * @param columns the declared columns, negative when their product overflowed
     * @param what    the tensor, for the message
     * @throws InvalidRecordException {@code shape-mismatch} when they cannot be a batch
     */
    public static void checkDimensions(final long rows, final long columns, final String what) {
        if (rows < 0 || columns < 0) {
            // A product of dimensions that overflowed a long, as JsonCells.product reports it.
            throw new InvalidRecordException("shape-mismatch", what + " declares more than 2^63 " + (rows < 0 ? "rows" : "columns"));
        }
        if (rows > MAX_CELLS || columns > MAX_CELLS || rows == 0 && columns > MAX_EMPTY_COLUMNS
            || columns == 0 && rows > MAX_EMPTY_ROWS) {
            throw new InvalidRecordException("shape-mismatch", what + " declares " + rows + " rows of " + columns
                + " columns with " + (rows == 0 || columns == 0 ? "no values" : "that many values") + ": more than a batch holds");
        }
    }

    /** The same rows with column names from the body. */
    public RowBatch withNames(final String[] columnNames) {
        return new RowBatch(columnNames, values, strings, rows, columns);
    }

    /**
     * The same rows with the numeric cells of these columns turned into categories ({@code 1.0}
     * becomes {@code "1"}), as a configured categorical feature is compared by category.
     */
    public RowBatch withCategorical(final java.util.Set<String> categorical) {
        if (categorical.isEmpty()) {
            return this;
        }
        String[] cells = strings;
        final double[] numbers = values.clone();
        for (int column = 0; column < columns; column++) {
            if (!categorical.contains(name(column))) {
                continue;
            }
            if (cells == null) {
                cells = new String[values.length];
            } else if (cells == strings) {
                cells = strings.clone();
            }
            for (int row = 0; row < rows; row++) {
                final int cell = row * columns + column;
                if (cells[cell] == null && !Double.isNaN(numbers[cell])) {
                    cells[cell] = category(numbers[cell]);
                    numbers[cell] = Double.NaN;
                }
            }
        }
        return new RowBatch(names, numbers, cells, rows, columns);
    }

    private static String category(final double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** The column's name from the body, or positional {@code f<i>} when the body had none. */
    public String name(final int column) {
        return names != null && column < names.length ? names[column] : "f" + column;
    }

    public boolean hasNames() {
        return names != null;
    }

    /** NaN when missing or not numeric. */
    public double value(final int row, final int column) {
        return values[row * columns + column];
    }

    /** The string value at that cell, or null when it is numeric or missing. */
    public String string(final int row, final int column) {
        return strings == null ? null : strings[row * columns + column];
    }

    @Override
    public String toString() {
        return "RowBatch[" + rows + "x" + columns + ", names=" + Arrays.toString(names) + "]";
    }
}
