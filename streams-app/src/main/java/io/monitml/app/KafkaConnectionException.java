package io.monitml.app;

/** Start-up could not talk to Kafka; the message says why and which settings to change, and is all a user needs to see. */
public final class KafkaConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    KafkaConnectionException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
