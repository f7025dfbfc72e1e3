package io.monitml.baseline;

import java.util.Arrays;

/**
 * PSI bins from the training values: inner edges at the 1/b, 2/b, ... quantiles, repeated edges
 * of discrete columns merged. Bins are (-inf, e1], (e1, e2], ..., (ek, +inf): open at both ends, so
 * no production value is ever outside every bin.
 */
final class QuantileBins {

    private QuantileBins() {
    }

    /** @param sorted the training values, ascending, no NaN */
    static double[] edges(final double[] sorted, final int bins) {
        if (sorted.length == 0) {
            return new double[0];
        }
        final double[] edges = new double[bins - 1];
        int distinct = 0;
        for (int i = 1; i < bins; i++) {
            final double edge = sorted[(int) Math.floor((double) i / bins * (sorted.length - 1))];
            if (distinct == 0 || edge > edges[distinct - 1]) {
                edges[distinct++] = edge;
            }
        }
        // An edge at the maximum would leave its upper bin empty by construction.
        if (distinct > 0 && edges[distinct - 1] >= sorted[sorted.length - 1]) {
            distinct--;
        }
        return Arrays.copyOf(edges, distinct);
    }

    /** Index of the bin holding {@code value}: the first edge at or above it, or the last bin. */
    static int bin(final double[] edges, final double value) {
        final int found = Arrays.binarySearch(edges, value);
        return found >= 0 ? found : -found - 1;
    }

    static double[] proportions(final double[] sorted, final double[] edges) {
        final double[] proportions = new double[edges.length + 1];
        for (double value : sorted) {
            proportions[bin(edges, value)]++;
        }
        for (int i = 0; i < proportions.length; i++) {
            proportions[i] /= sorted.length;
        }
        return proportions;
    }
}
