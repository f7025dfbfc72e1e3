package io.monitml.aggregate;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import io.monitml.stats.RunningMoments;

/**
 * The realized error of one unit's predictions in one window (of the predictions' event time), as
 * their labels arrive: mergeable in any order, so that the labels joined on every partition add up
 * to the window's figures. Kept as moments (Welford's, exact to rounding, no sum of squares of
 * prices to lose precision in) of the truth, of the error (prediction minus truth) and of its
 * absolute value, the sum of the absolute percentage errors over the non-zero truths, and a KLL
 * sketch of the label lag (label time minus prediction time), exact up to {@value #LAG_SKETCH_K} labels.
 */
public final class RegressionWindow {

    /** Rank error about 1.3% beyond {@code k} labels. */
    public static final int LAG_SKETCH_K = 200;

    private final RunningMoments truth;
    private final RunningMoments error;
    private final RunningMoments absoluteError;
    private double absolutePercentageErrors;
    private long percentageCount;
    private long zeroTruths;
    private final KllDoublesSketch lagMillis;

    public RegressionWindow() {
        this(new RunningMoments(), new RunningMoments(), new RunningMoments(), 0.0, 0, 0, KllDoublesSketch.newHeapInstance(LAG_SKETCH_K));
    }

    /** A window as it was kept (the partial's fields). */
    public RegressionWindow(final RunningMoments truth, final RunningMoments error, final RunningMoments absoluteError,
                            final double absolutePercentageErrors, final long percentageCount, final long zeroTruths,
                            final KllDoublesSketch lagMillis) {
        this.truth = truth;
        this.error = error;
        this.absoluteError = absoluteError;
        this.absolutePercentageErrors = absolutePercentageErrors;
        this.percentageCount = percentageCount;
        this.zeroTruths = zeroTruths;
        this.lagMillis = lagMillis;
    }

    /**
     * One prediction and the truth that judges it.
     *
     * @param lag label time minus prediction time, in milliseconds (negative when the label came first: counted as 0)
     */
    public void add(final double prediction, final double actual, final long lag) {
        final double difference = prediction - actual;
        truth.add(actual);
        error.add(difference);
        absoluteError.add(Math.abs(difference));
        if (actual == 0.0) {
            zeroTruths++;
        } else {
            absolutePercentageErrors += Math.abs(difference / actual);
            percentageCount++;
        }
        lagMillis.update(Math.max(0L, lag));
    }

    public void merge(final RegressionWindow other) {
        truth.merge(other.truth);
        error.merge(other.error);
        absoluteError.merge(other.absoluteError);
        absolutePercentageErrors += other.absolutePercentageErrors;
        percentageCount += other.percentageCount;
        zeroTruths += other.zeroTruths;
        lagMillis.merge(other.lagMillis);
    }

    /** The labelled predictions. */
    public long labelled() {
        return error.count();
    }

    /** The figures of the window so far; a figure a window cannot give (too few labels) is null. */
    public RegressionSummary summary() {
        final long n = labelled();
        if (n == 0) {
            return new RegressionSummary(0, null, null, null, null, null, zeroTruths, null, null, null);
        }
        final double bias = error.mean();
        // The mean squared error from the error's own moments: bias squared plus the population variance.
        final double meanSquaredError = bias * bias + error.m2() / n;
        final Double standardError = n < 2 ? null : Math.sqrt(absoluteError.variance() / n);
        final Double mape = percentageCount == 0 ? null : absolutePercentageErrors / percentageCount;
        final double totalSquares = truth.m2();
        final Double r2 = n < 2 || totalSquares == 0.0 ? null : 1.0 - n * meanSquaredError / totalSquares;
        return new RegressionSummary(n, absoluteError.mean(), standardError, Math.sqrt(meanSquaredError), bias, mape, zeroTruths, r2,
            lagMillis.getQuantile(0.5, QuantileSearchCriteria.INCLUSIVE), lagMillis.getQuantile(0.99, QuantileSearchCriteria.INCLUSIVE));
    }

    public RunningMoments truth() {
        return truth;
    }

    public RunningMoments error() {
        return error;
    }

    public RunningMoments absoluteError() {
        return absoluteError;
    }

    public double absolutePercentageErrors() {
        return absolutePercentageErrors;
    }

    public long percentageCount() {
        return percentageCount;
    }

    public long zeroTruths() {
        return zeroTruths;
    }

    public KllDoublesSketch lagMillis() {
        return lagMillis;
    }
}
