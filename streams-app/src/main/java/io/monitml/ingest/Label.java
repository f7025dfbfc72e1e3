package io.monitml.ingest;

import java.util.Arrays;
import java.util.Objects;

/**
 * The truth about the prediction of one request ({@code schemas/json/label.schema.json}): a number,
 * a class, or a vector of numbers, and when it became known.
 *
 * @param requestId  the request whose prediction it judges
 * @param number     the truth of a regression; NaN when the truth is a class or a vector
 * @param category   the truth of a classification; null otherwise
 * @param vector     one truth per output; null otherwise
 * @param timeMillis when the truth became known (epoch milliseconds)
 */
public record Label(String requestId, double number, String category, double[] vector, long timeMillis) {

    public Label {
        Objects.requireNonNull(requestId, "requestId");
    }

    public static Label ofNumber(final String requestId, final double truth, final long timeMillis) {
        return new Label(requestId, truth, null, null, timeMillis);
    }

    public static Label ofCategory(final String requestId, final String truth, final long timeMillis) {
        return new Label(requestId, Double.NaN, Objects.requireNonNull(truth, "truth"), null, timeMillis);
    }

    public static Label ofVector(final String requestId, final double[] truth, final long timeMillis) {
        return new Label(requestId, Double.NaN, null, truth.clone(), timeMillis);
    }

    public boolean isNumber() {
        return category == null && vector == null;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Label label && requestId.equals(label.requestId) && Double.compare(number, label.number) == 0
            && Objects.equals(category, label.category) && Arrays.equals(vector, label.vector) && timeMillis == label.timeMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, number, category, Arrays.hashCode(vector), timeMillis);
    }

    @Override
    public String toString() {
        final String truth = category != null ? '"' + category + '"' : vector != null ? Arrays.toString(vector) : Double.toString(number);
        return "Label[requestId=" + requestId + ", truth=" + truth + ", timeMillis=" + timeMillis + "]";
    }
}
