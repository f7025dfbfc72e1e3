package io.monitml.baseline;

import java.io.IOException;
import java.util.Arrays;

/**
 * A first pass over a table: how many rows it has, and which columns hold nothing but numbers and
 * missing values (numeric; the others are categorical).
 */
public record TableScan(long rows, boolean[] numeric) {

    public static TableScan of(final Table table) throws IOException {
        final boolean[] numeric = new boolean[table.header().size()];
        Arrays.fill(numeric, true);
        final long[] rows = {0};
        table.forEachRow(row -> {
            rows[0]++;
            for (int column = 0; column < row.length; column++) {
                if (numeric[column] && !Cells.missing(row[column]) && !Double.isFinite(Cells.number(row[column]))) {
                    numeric[column] = false;
                }
            }
        });
        return new TableScan(rows[0], numeric);
    }
}
