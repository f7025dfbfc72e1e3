package io.monitml.baseline;

import java.util.Locale;
import java.util.Set;

/** How a training table's text cells read: what stands for a missing value, and what is a number. */
public final class Cells {

    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?");

    private Cells() {
    }

    /** Empty, NA, N/A, NaN, null, None and ? stand for a missing value. */
    public static boolean missing(final String cell) {
        return MISSING.contains(cell.toLowerCase(Locale.ROOT));
    }

    /** The cell as a number, or NaN when it is missing or not one. */
    public static double number(final String cell) {
        if (missing(cell)) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
