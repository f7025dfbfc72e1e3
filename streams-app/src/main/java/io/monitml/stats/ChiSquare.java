package io.monitml.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Pearson chi-square tests for categorical features.
 *
 * <ul>
 *   <li>{@link #contingency(long[][])}: as SciPy's {@code chi2_contingency} with its defaults, Yates'
 *       continuity correction applied only when there is one degree of freedom. For drift the rows are
 *       the baseline's and the window's counts per category; a category seen in only one of them is just
 *       a column with a zero, and a category seen in neither (an all-zero column, or row) is left out
 *       rather than making an expected count of zero (SciPy raises there).</li>
 *   <li>{@link #goodnessOfFit(long[], double[])}: the window's counts against the baseline's proportions
 *       ({@code expected = n p_i}), as SciPy's {@code chisquare}. Categories the baseline never saw should
 *       be pooled by the caller into one last "other" category with proportion 0. A cell with zero
 *       expected and zero observed counts is left out (and takes no degree of freedom); a cell with zero
 *       expected but some observed counts cannot come from the baseline at all: statistic +infinity,
 *       p-value 0, without dividing by zero.</li>
 * </ul>
 * With fewer than two usable cells (one category only) there is nothing to test: statistic 0, dof 0,
 * p-value 1, as SciPy answers for dof 0.
 */
public final class ChiSquare {

    public record Result(double statistic, int degreesOfFreedom, double pValue) {
    }

    private ChiSquare() {
    }

    /** Test of independence on a table of counts (rows x categories), as {@code chi2_contingency}. */
    public static Result contingency(final long[][] table) {
        final int rowsIn = table.length;
        final int colsIn = rowsIn == 0 ? 0 : table[0].length;
        final double[] rowTotals = new double[rowsIn];
        final double[] colTotals = new double[colsIn];
        double total = 0;
        for (int r = 0; r < rowsIn; r++) {
            if (table[r].length != colsIn) {
                throw new IllegalArgumentException("rows differ in length");
            }
            for (int c = 0; c < colsIn; c++) {
                if (table[r][c] < 0) {
                    throw new IllegalArgumentException("counts must not be negative: " + table[r][c]);
                }
                rowTotals[r] += table[r][c];
                colTotals[c] += table[r][c];
                total += table[r][c];
            }
        }
        final int rows = countPositive(rowTotals);
        final int cols = countPositive(colTotals);
        final int dof = (rows - 1) * (cols - 1);
        if (rows < 2 || cols < 2) {
            return new Result(0.0, 0, 1.0);
        }
        double statistic = 0;
        for (int r = 0; r < rowsIn; r++) {
            for (int c = 0; c < colsIn; c++) {
                if (rowTotals[r] == 0 || colTotals[c] == 0) {
                    continue;
                }
                final double expected = rowTotals[r] * colTotals[c] / total;
                double observed = table[r][c];
                if (dof == 1) {
                    // Yates: move each count half a unit towards its expectation, never past it.
                    final double diff = expected - observed;
                    observed += Math.signum(diff) * Math.min(0.5, Math.abs(diff));
                }
                final double diff = observed - expected;
                statistic += diff * diff / expected;
            }
        }
        return new Result(statistic, dof, survival(statistic, dof));
    }

    /** Two count vectors over the same categories (baseline, window): the 2 x k contingency test. */
    public static Result twoSample(final long[] baselineCounts, final long[] windowCounts) {
        if (baselineCounts.length != windowCounts.length) {
            throw new IllegalArgumentException("count vectors differ in length: " + baselineCounts.length
                    + " and " + windowCounts.length);
        }
        return contingency(new long[][] {baselineCounts, windowCounts});
    }

    /** Goodness of fit of observed counts to proportions (normalized here if they do not sum to 1). */
    public static Result goodnessOfFit(final long[] observed, final double[] proportions) {
        if (observed.length != proportions.length) {
            throw new IllegalArgumentException("observed and proportions differ in length: " + observed.length
                    + " and " + proportions.length);
        }
        double n = 0;
        double pTotal = 0;
        for (int i = 0; i < observed.length; i++) {
            if (observed[i] < 0 || !(proportions[i] >= 0)) {
                throw new IllegalArgumentException("counts and proportions must not be negative");
            }
            n += observed[i];
            pTotal += proportions[i];
        }
        if (!(pTotal > 0)) {
            throw new IllegalArgumentException("proportions sum to zero");
        }
        int cells = 0;
        boolean impossible = false;
        double statistic = 0;
        for (int i = 0; i < observed.length; i++) {
            final double expected = n * proportions[i] / pTotal;
            if (expected == 0) {
                impossible |= observed[i] > 0;
                cells += observed[i] > 0 ? 1 : 0;
                continue;
            }
            cells++;
            final double diff = observed[i] - expected;
            statistic += diff * diff / expected;
        }
        final int dof = cells - 1;
        if (n == 0 || dof < 1) {
            return new Result(0.0, 0, 1.0);
        }
        if (impossible) {
            return new Result(Double.POSITIVE_INFINITY, dof, 0.0);
        }
        return new Result(statistic, dof, survival(statistic, dof));
    }

    private static int countPositive(final double[] totals) {
        int count = 0;
        for (final double t : totals) {
            count += t > 0 ? 1 : 0;
        }
        return count;
    }

    private static double survival(final double statistic, final int dof) {
        // ChiSquaredDistribution offers only 1 - cdf, which rounds small p-values to 0; its cdf is
        // regularizedGammaP, and the complement Q keeps them.
        return Gamma.regularizedGammaQ(dof / 2.0, statistic / 2.0);
    }
}
