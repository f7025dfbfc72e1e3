package io.monitml.http;

/** Ends the handling of a request with an error status; the message goes to the client. */
final class IngestRejection extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final IngestListener.Reason reason;

    IngestRejection(final int status, final IngestListener.Reason reason, final String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    static IngestRejection malformed(final String message) {
        return new IngestRejection(400, IngestListener.Reason.MALFORMED, message);
    }

    int status() {
        return status;
    }

    IngestListener.Reason reason() {
        return reason;
    }

    /** The same rejection with the position of the event in its batch in front of the message. */
    IngestRejection inEvent(final int index) {
        return new IngestRejection(status, reason, "event " + index + ": " + getMessage());
    }
}
