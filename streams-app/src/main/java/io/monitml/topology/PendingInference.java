package io.monitml.topology;

/**
 * An entry of the pairing store, by request id: the half seen so far and when it came. Paired
 * inferences leave the store ({@link io.monitml.state.RecentIds} recognises their duplicates).
 *
 * @param firstSeen event time (epoch millis) of the first half seen
 * @param request   the request half, or null when not seen
 * @param response  the response half, or null when not seen
 */
record PendingInference(long firstSeen, InferenceHalf request, InferenceHalf response) {

    static PendingInference first(final InferenceHalf half) {
        return new PendingInference(half.eventTime(), half.request() ? half : null, half.request() ? null : half);
    }

    boolean has(final InferenceHalf half) {
        return (half.request() ? request : response) != null;
    }

    PendingInference with(final InferenceHalf half) {
        return half.request() ? new PendingInference(firstSeen, half, response) : new PendingInference(firstSeen, request, half);
    }

    boolean complete() {
        return request != null && response != null;
    }
}
