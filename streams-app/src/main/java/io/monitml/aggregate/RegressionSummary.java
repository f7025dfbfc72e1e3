package io.monitml.aggregate;

/**
 * A window's realized regression error so far, as scikit-learn's {@code metrics} define each figure
 * (the error is the prediction minus the truth).
 *
 * @param labelled                the predictions judged by a label
 * @param mae                     mean absolute error; null without a label
 * @param maeStandardError        the standard error of the MAE (the absolute errors' sample standard deviation over
 *                                the square root of their count), so that 12 labels are not read like 12,000; null
 *                                below two labels
 * @param rmse                    root mean squared error
 * @param bias                    mean error: positive when the model predicts too high
 * @param mape                    mean absolute percentage error over the labels whose truth is not zero (a fraction:
 *                                0.1 is 10%); null when every truth is zero
 * @param zeroTruths              the labels left out of the MAPE because their truth is zero
 * @param r2                      coefficient of determination; null below two labels or when every truth is the same
 * @param lagP50Millis            median of label time minus prediction time
 * @param lagP99Millis            its 99th percentile
 */
public record RegressionSummary(long labelled, Double mae, Double maeStandardError, Double rmse, Double bias, Double mape,
                                long zeroTruths, Double r2, Double lagP50Millis, Double lagP99Millis) {
}
