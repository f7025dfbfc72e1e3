package io.monitml.demo;

/**
 * What the generator made of one call, for tests and logs: the events it sent and the numbers
 * behind them. The arrays are the generator's own and are not shared with it afterwards.
 *
 * @param endpoint the variant that served the call
 * @param rows the (noisy, possibly drifted) feature rows sent in the request
 * @param predictions one per row, in dollars
 * @param truths the true price of each row's house (the data set's medv), in dollars
 * @param drifted whether the drift shifts were applied to {@code rows}
 */
public record GeneratedRequest(
    String requestId,
    String endpoint,
    double[][] rows,
    double[] predictions,
    double[] truths,
    boolean drifted,
    SeldonEvent request,
    SeldonEvent response) {}
