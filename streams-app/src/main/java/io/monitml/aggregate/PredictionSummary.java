package io.monitml.aggregate;

/**
 * A window's prediction statistics; null where the window had no value to compute one from.
 *
 * @param output    the prediction output's name, or null
 * @param responses the responses, failed ones included
 * @param count     the predictions
 */
public record PredictionSummary(String output, long responses, long count, long errorCount, Double min, Double max, Double mean,
                                Double variance, Double p50, Double p90, Double p99, Double latencyP50Millis, Double latencyP90Millis,
                                Double latencyP99Millis) {
}
