package io.monitml.serde;

/**
 * A schema registry call failed: the registry answered with an error, could not be reached, or sent
 * a body this client cannot use. The message names the URL; credentials never appear in it.
 */
public final class SchemaRegistryException extends RuntimeException {

    /** Status used when no HTTP response was received (connection refused, timeout, interrupt). */
    public static final int NO_RESPONSE = -1;

    /** Error code used when the registry's body carried none. */
    public static final int NO_ERROR_CODE = -1;

    private static final long serialVersionUID = 1L;

    private final String url;
    private final int status;
    private final int errorCode;

    SchemaRegistryException(
            final String message,
            final String url,
            final int status,
            final int errorCode,
            final Throwable cause) {
        super(message, cause);
        this.url = url;
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The request URL that failed. */
    public String url() {
        return url;
    }

    /** HTTP status of the answer, or {@link #NO_RESPONSE}. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code} (e.g. 40403), or {@link #NO_ERROR_CODE}. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the registry answered 404: the id, subject or version does not exist there. */
    public boolean notFound() {
        return status == 404;
    }

    /** True when retrying later may help: no answer at all, or a server-side error. */
    public boolean unavailable() {
        return status == NO_RESPONSE || status >= 500;
    }
}
