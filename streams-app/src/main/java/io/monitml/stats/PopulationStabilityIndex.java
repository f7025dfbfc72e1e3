package io.monitml.stats;

import java.util.Arrays;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Population stability index {@code sum (a_i - e_i) ln(a_i / e_i)} over bins, with proportions floored at
 * an epsilon (default 0.0001, as Evidently does) so empty bins give a large but finite term. The index is
 * symmetric in the two distributions, so which is "expected" does not matter.
 *
 * <p>Bins: edges {@code e_1 < ... < e_k} make k + 1 bins {@code (-inf, e_1], (e_1, e_2], ..., (e_k, +inf)},
 * so values outside the baseline's range fall into the outer bins and are never dropped. Edges are the
 * baseline's quantiles {@code i / bins} taken as the smallest value whose ECDF reaches that fraction (the
 * same value a KLL sketch's inclusive quantile gives), duplicates merged (discrete columns get fewer bins)
 * and an edge equal to the baseline's largest value dropped (its bin would be empty by construction).
 */
public final class PopulationStabilityIndex {

    public static final double DEFAULT_EPSILON = 1e-4;
    public static final int DEFAULT_BINS = 10;

    private PopulationStabilityIndex() {
    }

    /** PSI between two count vectors over the same bins, floored at {@link #DEFAULT_EPSILON}. */
    public static double psi(final long[] expectedCounts, final long[] actualCounts) {
        return psi(expectedCounts, actualCounts, DEFAULT_EPSILON);
    }

    public static double psi(final long[] expectedCounts, final long[] actualCounts, final double epsilon) {
        if (expectedCounts.length != actualCounts.length) {
            throw new IllegalArgumentException("count vectors differ in length: " + expectedCounts.length
                    + " and " + actualCounts.length);
        }
        return psiOfProportions(proportions(expectedCounts), proportions(actualCounts), epsilon);
    }

    /** PSI between two proportion vectors over the same bins (a baseline's stored proportions, a sketch's). */
    public static double psiOfProportions(final double[] expected, final double[] actual, final double epsilon) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("proportion vectors differ in length: " + expected.length + " and " + actual.length);
        }
        double sum = 0.0;
        for (int i = 0; i < expected.length; i++) {
            final double ei = Math.max(expected[i], epsilon);
            final double ai = Math.max(actual[i], epsilon);
            sum += (ai - ei) * Math.log(ai / ei);
        }
        return sum;
    }

    /** Counts over proportions; NaN proportions when all counts are zero (no data, no index). */
    public static double[] proportions(final long[] counts) {
        long total = 0;
        for (final long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("counts must not be negative: " + Arrays.toString(counts));
            }
            total += c;
        }
        final double[] result = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            result[i] = total == 0 ? Double.NaN : (double) counts[i] / total;
        }
        return result;
    }

    /** Quantile edges of sorted baseline values (NaN left out); none when there are no values. */
    public static double[] binEdges(final double[] sortedValues, final int bins) {
        checkBins(bins);
        final double[] values = Arrays.stream(sortedValues).filter(v -> !Double.isNaN(v)).toArray();
        if (values.length == 0) {
            return new double[0];
        }
        final double[] quantiles = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            // Smallest value whose ECDF reaches i / bins: index ceil(n i / bins) - 1.
            final int index = (int) Math.ceil((double) values.length * i / bins) - 1;
            quantiles[i - 1] = values[Math.max(0, index)];
        }
        return distinctBelow(quantiles, values[values.length - 1]);
    }

    /** Quantile edges from a baseline sketch, by the same convention (exact in exact mode). */
    public static double[] binEdges(final KllDoublesSketch baseline, final int bins) {
        checkBins(bins);
        if (baseline.isEmpty()) {
            return new double[0];
        }
        final double[] quantiles = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            quantiles[i - 1] = baseline.getQuantile((double) i / bins, QuantileSearchCriteria.INCLUSIVE);
        }
        return distinctBelow(quantiles, baseline.getMaxItem());
    }

    private static double[] distinctBelow(final double[] ascending, final double max) {
        return Arrays.stream(ascending).filter(v -> v < max).distinct().toArray();
    }

    private static void checkBins(final int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("need at least 2 bins, got " + bins);
        }
    }

    /** Bin of x: the number of edges strictly below it, so x equal to an edge goes to the bin it closes. */
    public static int binIndex(final double[] edges, final double x) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (edges[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Counts of values per bin ({@code edges.length + 1} bins); NaN values are missing and not counted. */
    public static long[] counts(final double[] edges, final double[] values) {
        final long[] counts = new long[edges.length + 1];
        for (final double v : values) {
            if (!Double.isNaN(v)) {
                counts[binIndex(edges, v)]++;
            }
        }
        return counts;
    }
}
