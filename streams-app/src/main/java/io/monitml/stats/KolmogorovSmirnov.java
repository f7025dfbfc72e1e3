package io.monitml.stats;

import java.util.Arrays;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided: D is the largest distance between the two empirical
 * CDFs, and the p-value is SciPy's {@code ks_2samp(x, y, method='asymp')}:
 * {@code kstwo.sf(D, round(m n / (m + n)))} (see {@link KolmogorovDistribution}). SciPy's
 * {@code method='exact'} counts lattice paths instead; on the fixtures asymp is 0.5 to 7% below exact for
 * p from 0.006 to 0.8 (the 7% with 10 and 15 values), and a factor 4.3 below at p = 1e-5 with 10 and 15
 * values: asymp flags tiny windows a little more readily.
 *
 * <p>NaN values are missing and left out; an empty sample (after that) is an
 * {@link IllegalArgumentException}, as in SciPy.
 */
public final class KolmogorovSmirnov {

    /**
     * @param statistic D
     * @param pValue two-sided asymptotic p-value
     * @param n size of the first sample (or count of the first sketch)
     * @param m size of the second sample
     * @param statisticError bound on |D - exact D|: 0 for raw samples and for sketches in exact mode,
     *     otherwise the sum of both sketches' normalized rank errors (each holds with 99% confidence)
     */
    public record Result(double statistic, double pValue, long n, long m, double statisticError) {
    }

    private KolmogorovSmirnov() {
    }

    /** Exact D from two raw samples (copies are sorted; the arrays are not changed). */
    public static Result test(final double[] sample1, final double[] sample2) {
        final double[] x = sortedWithoutNaN(sample1, "sample1");
        final double[] y = sortedWithoutNaN(sample2, "sample2");
        final int n = x.length;
        final int m = y.length;
        double d = 0.0;
        int i = 0;
        int j = 0;
        // Walk the distinct values in order; at each, both ECDFs include every value equal to it.
        while (i < n || j < m) {
            final double value = i < n && (j >= m || x[i] <= y[j]) ? x[i] : y[j];
            while (i < n && x[i] == value) {
                i++;
            }
            while (j < m && y[j] == value) {
                j++;
            }
            // The same operations as SciPy's (i/n - j/m), so D is the same double.
            d = Math.max(d, Math.abs((double) i / n - (double) j / m));
        }
        return new Result(d, pValue(d, n, m), n, m, 0.0);
    }

    /**
     * D between the distributions two KLL sketches summarize: the largest |F1(x) - F2(x)| over the union
     * of their retained items, with the sketches' inclusive normalized ranks as the CDFs (both are step
     * functions that only change at retained items, so that is the supremum over all x). When neither
     * sketch is in estimation mode this is the exact D of the values they saw. The p-value uses the
     * sketches' counts as sample sizes.
     */
    public static Result test(final KllDoublesSketch sketch1, final KllDoublesSketch sketch2) {
        if (sketch1.isEmpty() || sketch2.isEmpty()) {
            throw new IllegalArgumentException("Kolmogorov-Smirnov needs two non-empty sketches (counts "
                    + sketch1.getN() + " and " + sketch2.getN() + ")");
        }
        final double d = Math.max(largestGap(sketch1, sketch2), largestGap(sketch2, sketch1));
        final double error = (sketch1.isEstimationMode() ? sketch1.getNormalizedRankError(false) : 0.0)
                + (sketch2.isEstimationMode() ? sketch2.getNormalizedRankError(false) : 0.0);
        return new Result(d, pValue(d, sketch1.getN(), sketch2.getN()), sketch1.getN(), sketch2.getN(), error);
    }

    private static double largestGap(final KllDoublesSketch at, final KllDoublesSketch other) {
        double d = 0.0;
        for (final double item : at.getSortedView().getQuantiles()) {
            d = Math.max(d, Math.abs(at.getRank(item, QuantileSearchCriteria.INCLUSIVE)
                    - other.getRank(item, QuantileSearchCriteria.INCLUSIVE)));
        }
        return d;
    }

    /** SciPy's asymptotic two-sided p-value for D between samples of sizes n and m. */
    public static double pValue(final double d, final long n, final long m) {
        final double en = (double) n * m / ((double) n + m);
        // Math.rint rounds halves to even, as numpy's round does.
        return KolmogorovDistribution.sf(d, (long) Math.rint(en));
    }

    private static double[] sortedWithoutNaN(final double[] sample, final String name) {
        final double[] copy = Arrays.stream(sample).filter(v -> !Double.isNaN(v)).toArray();
        if (copy.length == 0) {
            throw new IllegalArgumentException(name + " has no values (NaN values are left out as missing)");
        }
        Arrays.sort(copy);
        return copy;
    }
}
