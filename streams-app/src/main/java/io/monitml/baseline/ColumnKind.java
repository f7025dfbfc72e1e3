package io.monitml.baseline;

import io.monitml.avro.FeatureKind;

/** Decides whether a column is numeric or categorical, and what counts as missing. */
final class ColumnKind {

    private ColumnKind() {
    }

    static boolean missing(final String cell) {
        return CsvTable.missing(cell);
    }

    /** Numeric when every present value is a finite number; categorical otherwise. */
    static FeatureKind infer(final CsvTable table, final int column) {
        for (int row = 0; row < table.size(); row++) {
            final String cell = table.cell(row, column);
            if (!missing(cell) && !Double.isFinite(number(cell))) {
                return FeatureKind.CATEGORICAL;
            }
        }
        return FeatureKind.NUMERIC;
    }

    static double number(final String cell) {
        return CsvTable.number(cell);
    }
}
