package io.monitml.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A Kafka record's key or value could not be decoded as Confluent-framed Avro. {@link #reason()}
 * is a short stable code meant for a dead-letter header; the message is for humans.
 */
public final class AvroDecodingException extends SerializationException {

    /** Schema id when the frame header could not be read. */
    public static final int NO_SCHEMA_ID = -1;

    private static final long serialVersionUID = 1L;

    /** Why decoding failed. */
    public enum Reason {
        /** The first byte is not the Confluent magic byte: JSON, plain strings, another framing. */
        NOT_AVRO("not-avro"),
        /** Fewer bytes than the header, or the Avro body ended early. */
        TRUNCATED("truncated"),
        /** The registry does not know the schema id of the frame. */
        UNKNOWN_SCHEMA_ID("unknown-schema-id"),
        /** The writer schema could not be fetched: registry down, slow, or answering errors. */
        REGISTRY_UNAVAILABLE("registry-unavailable"),
        /** The body does not decode with its writer schema, or not into the reader's class. */
        CORRUPT("corrupt");

        private final String code;

        Reason(final String code) {
            this.code = code;
        }

        /** The short machine-readable code, e.g. {@code unknown-schema-id}. */
        public String code() {
            return code;
        }

        @Override
        public String toString() {
            return code;
        }
    }

    private final Reason reason;
    private final String topic;
    private final int schemaId;

    AvroDecodingException(final Reason reason, final String topic, final int schemaId, final String message,
            final Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.topic = topic;
        this.schemaId = schemaId;
    }

    /** Why decoding failed. */
    public Reason reason() {
        return reason;
    }

    /** The topic of the record that failed. */
    public String topic() {
        return topic;
    }

    /** The schema id read from the frame, or {@link #NO_SCHEMA_ID}. */
    public int schemaId() {
        return schemaId;
    }
}
