package io.monitml.aggregate;

import java.util.HashMap;
import java.util.Map;

import io.monitml.ingest.decoded.RowBatch;

/** Finding a named feature's column in a batch: by its name, or by the position an unnamed batch's name ({@code f12}) stands for. */
final class BatchColumns {

    private BatchColumns() {
    }

    /** Each name's column; a name repeated is its first column. */
    static Map<String, Integer> indexOf(final RowBatch batch) {
        final Map<String, Integer> index = new HashMap<>(batch.columns() * 2);
        for (int column = batch.columns() - 1; column >= 0; column--) {
            index.put(batch.name(column), column);
        }
        return index;
    }

    /** The column a positional name ({@code f12}) stands for in an unnamed batch, or -1. */
    static int positional(final String name, final int columns) {
        if (name.length() < 2 || name.length() > 11 || name.charAt(0) != 'f') {
            return -1;
        }
        long column = 0;
        for (int i = 1; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c < '0' || c > '9' || i == 1 && c == '0' && name.length() > 2) {
                return -1;
            }
            column = column * 10 + (c - '0');
        }
        return column < columns ? (int) column : -1;
    }
}
