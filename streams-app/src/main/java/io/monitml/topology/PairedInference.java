package io.monitml.topology;

/**
 * What the pairing stage emits per inference: both halves (paired), or the one that waited alone
 * past the pairing wait ({@code response-missing} or {@code request-missing}).
 *
 * @param request  null when the request never came
 * @param response null when the response never came
 */
record PairedInference(String requestId, InferenceHalf request, InferenceHalf response) {

    /** A row with both halves. */
    static final String PAIRED = "paired";
    /** A request row whose response did not come within the pairing wait. */
    static final String RESPONSE_MISSING = "response-missing";
    /** A response row whose request did not come within the pairing wait. */
    static final String REQUEST_MISSING = "request-missing";

    boolean paired() {
        return request != null && response != null;
    }

    /** Response time minus request time. */
    double latencyMillis() {
        return response.eventTime() - request.eventTime();
    }

    /** The unit that answered: Seldon Core v2 names the model version (the variant) in the response only. */
    String unitKey() {
        return response != null ? response.unitKey() : request.unitKey();
    }

    /** The request's time when it came, else the response's. */
    long eventTime() {
        return request != null ? request.eventTime() : response.eventTime();
    }

    /** The response's error when it came, else the request's. */
    String error() {
        return response != null ? response.error() : request.error();
    }

    /** The pairing of one row: a row on one side only is missing its other half. */
    String pairing(final int row) {
        final boolean hasRequest = request != null && row < request.rows();
        final boolean hasResponse = response != null && row < response.rows();
        return hasRequest && hasResponse ? PAIRED : hasRequest ? RESPONSE_MISSING : REQUEST_MISSING;
    }

    int rows() {
        return Math.max(request == null ? 0 : request.rows(), response == null ? 0 : response.rows());
    }
}
