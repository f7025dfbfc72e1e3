package io.monitml.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/**
 * Rows given as objects ({@code {"f1": 1, "f2": "a"}}). The columns are the union of the keys in
 * the order they were first seen; a key a row lacks is missing (NaN) there; a key given twice in
 * one row keeps its last value. Values must be scalars.
 *
 * <p>Cells are kept in reading order with their column index and scattered into the dense
 * row-major batch at the end, because the width is only known once every row has been read.
 */
final class DictRows {

    /** Past this many columns a key is looked up in a map rather than by scanning the names. */
    private static final int SCAN_LIMIT = 16;
    /** The dense batch may hold at most this many times the cells read (plus some slack): keys that differ in every row would otherwise turn a small body into a huge matrix. */
    private static final int MAX_FILL_RATIO = 16;
    private static final int FILL_SLACK = 4096;

    private final String where;
    private final List<String> names = new ArrayList<>();
    private final ValueBuffer cells = new ValueBuffer();
    private Map<String, Integer> index;
    private int[] columnOf = new int[64];
    private int[] rowEnd = new int[8];
    private int rows;

    DictRows(final String where) {
        this.where = where;
    }

    /** Reads one row, the parser on its START_OBJECT. */
    void readRow(final JsonParser parser) throws IOException {
        int position = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final int column = columnOf(parser.currentName(), position++);
            parser.nextToken();
            final int cell = cells.size();
            JsonCells.readScalar(parser, cells, where + "." + names.get(column));
            if (cell == columnOf.length) {
                columnOf = Arrays.copyOf(columnOf, cell * 2);
            }
            columnOf[cell] = column;
        }
        if (rows == rowEnd.length) {
            rowEnd = Arrays.copyOf(rowEnd, rows * 2);
        }
        rowEnd[rows++] = cells.size();
    }

    RowBatch toBatch() {
        final int columns = names.size();
        final long dense = (long) rows * columns;
        if (dense > (long) cells.size() * MAX_FILL_RATIO + FILL_SLACK || dense > Integer.MAX_VALUE - 8) {
            throw new InvalidRecordException("limit-exceeded", "\"" + where + "\" has " + rows + " rows over "
                + columns + " distinct keys but only " + cells.size() + " values: too sparse to be a table");
        }
        final double[] values = new double[(int) dense];
        Arrays.fill(values, Double.NaN);
        final String[] strings = cells.hasStrings() ? new String[(int) dense] : null;
        int cell = 0;
        for (int row = 0; row < rows; row++) {
            for (; cell < rowEnd[row]; cell++) {
                final int at = row * columns + columnOf[cell];
                values[at] = cells.number(cell);
                if (strings != null) {
                    strings[at] = cells.string(cell);
                }
            }
        }
        return RowBatch.of(names.toArray(String[]::new), values, strings, rows, columns);
    }

    private int columnOf(final String key, final int position) {
        // Producers write every row with the same keys in the same order, so the key is nearly
        // always the name at its own position.
        if (position < names.size() && names.get(position).equals(key)) {
            return position;
        }
        if (index != null) {
            final Integer known = index.get(key);
            return known != null ? known : add(key);
        }
        final int found = names.indexOf(key);
        return found >= 0 ? found : add(key);
    }

    private int add(final String key) {
        final int column = names.size();
        names.add(key);
        if (index != null) {
            index.put(key, column);
        } else if (names.size() > SCAN_LIMIT) {
            index = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i), i);
            }
        }
        return column;
    }
}
