package io.monitml.demo;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * An ordinary-least-squares linear model with intercept: the "real" model behind the demo's
 * stable variant. It is fitted in memory at start-up because the data set is small and shipped.
 */
public final class LinearModel {

    private final List<String> featureNames;
    private final double intercept;
    private final double[] coefficients;
    private final double rSquared;

    private LinearModel(
            List<String> featureNames, double intercept, double[] coefficients, double rSquared) {
        this.featureNames = List.copyOf(featureNames);
        this.intercept = intercept;
        this.coefficients = coefficients;
        this.rSquared = rSquared;
    }

    /** Fits {@code medv} on all features of the data set. */
    public static LinearModel fit(BostonHousing data) {
        return fit(data.featureNames(), data.features(), data.medv());
    }

    /**
     * Fits {@code y ~ 1 + x} by least squares (QR decomposition).
     *
     * @throws IllegalArgumentException if the shapes disagree or there are too few rows
     * @throws org.apache.commons.math3.linear.SingularMatrixException if the design is singular
     */
    public static LinearModel fit(List<String> featureNames, double[][] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " feature rows but " + y.length + " targets");
        }
        for (double[] row : x) {
            if (row.length != featureNames.size()) {
                throw new IllegalArgumentException(
                        "row of " + row.length + " values for " + featureNames.size() + " features");
            }
        }
        if (x.length <= featureNames.size() + 1) {
            throw new IllegalArgumentException(
                    "need more than " + (featureNames.size() + 1) + " rows, got " + x.length);
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters();
        return new LinearModel(
                featureNames, beta[0], Arrays.copyOfRange(beta, 1, beta.length), ols.calculateRSquared());
    }

    /** The prediction for one row of features, in the unit of the target. */
    public double predict(double[] features) {
        if (features.length != coefficients.length) {
            throw new IllegalArgumentException(
                    "expected " + coefficients.length + " features, got " + features.length);
        }
        double sum = intercept;
        for (int j = 0; j < coefficients.length; j++) {
            sum += coefficients[j] * features[j];
        }
        return sum;
    }

    /** The feature names, in the order of {@link #coefficients()}. */
    public List<String> featureNames() {
        return featureNames;
    }

    public double intercept() {
        return intercept;
    }

    /** A copy of the slopes, one per feature. */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** Coefficient of determination on the training data. */
    public double rSquared() {
        return rSquared;
    }

    @Override
    public String toString() {
        return "LinearModel[intercept=" + intercept + ", coefficients=" + Arrays.toString(coefficients)
                + ", features=" + featureNames + ", rSquared=" + rSquared + "]";
    }
}
