package io.monitml.ingest.decoded;

/**
 * A record that cannot be decoded. It carries a short, stable reason code (a metric label and a
 * dead-letter header) besides the human-readable message.
 */
public final class InvalidRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public InvalidRecordException(final String reason, final String message) {
        super(message);
        this.reason = reason;
    }

    public InvalidRecordException(final String reason, final String message, final Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A stable kebab-case code such as {@code bad-json} or {@code missing-type}. */
    public String reason() {
        return reason;
    }
}
