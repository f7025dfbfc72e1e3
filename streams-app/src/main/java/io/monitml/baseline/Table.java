package io.monitml.baseline;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Text cells under a header, read row by row, as many times as a summary needs: a CSV file is read
 * again on each pass instead of being held, so that a training set larger than the heap can be
 * summarised.
 */
public interface Table {

    /** What the table is called in messages: its file, or where its rows came from. */
    String name();

    List<String> header();

    /** Passes each row, in order; every row has as many cells as the header. */
    void forEachRow(Consumer<String[]> row) throws IOException;

    default int column(final String columnName) {
        final int index = header().indexOf(columnName);
        if (index < 0) {
            throw new IllegalArgumentException("No column " + columnName + " in " + name() + "; the columns are " + header());
        }
        return index;
    }

    /** Rows a program already holds. */
    static Table of(final String name, final List<String> header, final List<String[]> rows) {
        for (String[] row : rows) {
            if (row.length != header.size()) {
                throw new IllegalArgumentException(name + ": a row has " + row.length + " fields, the header has " + header.size());
            }
        }
        final List<String> columns = List.copyOf(header);
        final List<String[]> copy = List.copyOf(rows);
        return new Table() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> header() {
                return columns;
            }

            @Override
            public void forEachRow(final Consumer<String[]> row) {
                copy.forEach(row);
            }
        };
    }
}
