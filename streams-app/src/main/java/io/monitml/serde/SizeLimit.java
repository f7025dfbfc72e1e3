package io.monitml.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde whose serializer refuses values larger than a topic takes. Under exactly-once a record
 * the producer or the broker refuses as too large aborts the whole transaction, and the task then
 * replays the same input into the same refusal, for ever. Refused here, while Kafka Streams
 * serializes, the error goes to the production exception handler before anything is sent, and
 * the transaction stays good.
 */
public final class SizeLimit {

    private SizeLimit() {
    }

    public static <T> Serde<T> bounded(final Serde<T> serde, final int maxBytes) {
        final Serializer<T> inner = serde.serializer();
        final Serializer<T> bounded = (topic, value) -> {
            final byte[] bytes = inner.serialize(topic, value);
            if (bytes != null && bytes.length > maxBytes) {
                throw new TooLargeException(topic, bytes.length, maxBytes);
            }
            return bytes;
        };
        return Serdes.serdeFrom(bounded, serde.deserializer());
    }

    /** A value larger than its topic takes, refused before it was sent. */
    public static final class TooLargeException extends SerializationException {

        private static final long serialVersionUID = 1L;

        public TooLargeException(final String topic, final int bytes, final int maxBytes) {
            super("A record of " + bytes + " bytes for " + topic + " is larger than the " + maxBytes + " bytes it takes");
        }
    }
}
