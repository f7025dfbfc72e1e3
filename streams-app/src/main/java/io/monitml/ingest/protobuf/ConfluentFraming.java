package io.monitml.ingest.protobuf;

import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * Finds where the protobuf starts in a Kafka value that may carry the Confluent Schema Registry
 * framing: magic byte 0, a 4-byte big-endian schema id, then the message-index path as zigzag
 * varints (a lone 0 for the first message of the schema, else a count and that many indexes).
 *
 * <p>Plain protobuf never starts with 0: that would be the tag of field number 0, which does not
 * exist. So a leading 0 marks the framing without guessing.
 */
final class ConfluentFraming {

    private static final int MAGIC = 0;
    private static final int HEADER = 5;
    // A schema nests messages a few levels at most; a longer path is corruption, not a schema.
    private static final int MAX_PATH = 64;

    private ConfluentFraming() {
    }

    /** The offset of the protobuf message in {@code value}: 0 for plain protobuf. */
    static int payloadOffset(final byte[] value) {
        if (value.length == 0 || value[0] != MAGIC) {
            return 0;
        }
        if (value.length < HEADER + 1) {
            throw bad("the value is shorter than the Confluent header");
        }
        final int[] position = {HEADER};
        final int count = readZigZag(value, position);
        if (count == 0) {
            // The common case, the path [0], is written as the single byte 0.
            return position[0];
        }
        if (count < 0 || count > MAX_PATH) {
            throw bad("the Confluent message-index count " + count + " is not a path");
        }
        for (int i = 0; i < count; i++) {
            if (readZigZag(value, position) < 0) {
                throw bad("a Confluent message index is negative");
            }
        }
        return position[0];
    }

    private static int readZigZag(final byte[] value, final int[] position) {
        int result = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (position[0] >= value.length) {
                throw bad("the Confluent message indexes run past the end of the value");
            }
            final int b = value[position[0]++];
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (result >>> 1) ^ -(result & 1);
            }
        }
        throw bad("a Confluent message index is longer than a 32-bit varint");
    }

    private static InvalidRecordException bad(final String detail) {
        return new InvalidRecordException("bad-protobuf", "The value starts with the Confluent magic byte but " + detail);
    }
}
