package io.monitml.baseline;

import java.util.Locale;
import java.util.Set;

import io.monitml.avro.FeatureKind;

/** Decides whether a column is numeric or categorical, and what counts as missing. */
final class ColumnKind {

    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?");

    private ColumnKind() {
    }

    static boolean missing(final String cell) {
        return MISSING.contains(cell.toLowerCase(Locale.ROOT));
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

    /** NaN when the cell is not a number. */
    static double number(final String cell) {
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
