package io.monitml.http;

/** Ends the handling of a request with an error status; the message goes to the client. */
final class IngestRejection extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final IngestListener.Reason reason;
    private final transient Delivery delivery;

    IngestRejection(final int status, final IngestListener.Reason reason, final String message) {
        this(status, reason, message, null);
    }

    /** @param delivery what became of the request's records, when some were handed to the producer; null otherwise */
    IngestRejection(final int status, final IngestListener.Reason reason, final String message, final Delivery delivery) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.delivery = delivery;
    }

    /**
     * What became of a request's events once they were handed to the producer: written (acknowledged
     * by Kafka), failed (refused, or never handed over after an earlier one failed), or not
     * acknowledged within the send timeout (the producer may still write them).
     */
    record Delivery(int events, int written, int failed, int unacknowledged) {
    }

    /** Null unless the request's events were handed to the producer. */
    Delivery delivery() {
        return delivery;
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
        return new IngestRejection(status, reason, "event " + index + ": " + getMessage(), delivery);
    }
}
