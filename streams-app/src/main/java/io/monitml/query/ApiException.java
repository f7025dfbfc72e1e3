package io.monitml.query;

/** An API answer other than 200: its status, a message for people, and for 503 when to try again. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Seconds a client should wait before asking again while stores restore or rebalance. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final int status;

    ApiException(final int status, final String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badRequest(final String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(final String message) {
        return new ApiException(404, message);
    }

    /** The stores are not queryable now (starting, restoring, rebalancing, or the owner does not answer). */
    static ApiException notReady(final String message) {
        return new ApiException(503, message);
    }

    public int status() {
        return status;
    }
}
