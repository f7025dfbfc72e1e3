package io.monitml.stats;

import java.util.Arrays;

/** Corrections for testing many features at once: which p-values count as drift. */
public final class MultipleTesting {

    /**
     * @param rejected per test, in the order given: drift detected
     * @param threshold the cut the p-values were compared with
     */
    public record Decision(boolean[] rejected, double threshold) {
    }

    private MultipleTesting() {
    }

    /** Bonferroni: drift where {@code p < alpha / m}, strictly, as alibi-detect compares. */
    public static Decision bonferroni(final double[] pValues, final double alpha) {
        check(pValues, alpha);
        final double threshold = alpha / pValues.length;
        final boolean[] rejected = new boolean[pValues.length];
        for (int i = 0; i < pValues.length; i++) {
            rejected[i] = pValues[i] < threshold;
        }
        return new Decision(rejected, threshold);
    }

    /**
     * Benjamini-Hochberg step-up at false discovery rate alpha: with k the largest rank such that
     * {@code p_(k) <= k / m * alpha}, every {@code p <= k / m * alpha} is drift. The threshold is 0 when
     * no k qualifies (then nothing is rejected, as no p-value can be 0 there).
     */
    public static Decision benjaminiHochberg(final double[] pValues, final double alpha) {
        check(pValues, alpha);
        final int m = pValues.length;
        final double[] sorted = pValues.clone();
        Arrays.sort(sorted);
        double threshold = 0.0;
        for (int k = m; k >= 1; k--) {
            final double cut = (double) k / m * alpha;
            if (sorted[k - 1] <= cut) {
                threshold = cut;
                break;
            }
        }
        final boolean[] rejected = new boolean[m];
        for (int i = 0; i < m; i++) {
            rejected[i] = threshold > 0 && pValues[i] <= threshold;
        }
        return new Decision(rejected, threshold);
    }

    private static void check(final double[] pValues, final double alpha) {
        if (pValues.length == 0) {
            throw new IllegalArgumentException("no p-values to correct");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
        }
        for (final double p : pValues) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("p-values must be in [0, 1]: " + p);
            }
        }
    }

    /** The decision of {@code correction}; without correction each p-value is compared with alpha. */
    public static Decision decide(final Correction correction, final double[] pValues, final double alpha) {
        return switch (correction) {
            case BONFERRONI -> bonferroni(pValues, alpha);
            case FDR -> benjaminiHochberg(pValues, alpha);
            case NONE -> {
                final boolean[] rejected = new boolean[pValues.length];
                for (int i = 0; i < pValues.length; i++) {
                    rejected[i] = pValues[i] < alpha;
                }
                yield new Decision(rejected, alpha);
            }
        };
    }
}
