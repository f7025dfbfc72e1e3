package io.monitml.topology;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Reading the internal formats written by hand ({@link PairingSerdes}, {@link JoinSerdes}): the first byte is the
 * format's version, the rest must be read whole, and a record cut short or malformed is a {@link SerializationException}
 * (the dead-letter handler's {@code deserialization-error}), never another exception.
 */
final class FixedLayout {

    private FixedLayout() {
    }

    /** @param what the record, as a message names it ("pairing record") */
    static <T> T read(final byte[] bytes, final byte version, final String what, final Function<ByteBuffer, T> reader) {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            final byte written = in.get();
            if (written != version) {
                throw new SerializationException(what + " of format version " + written + ", this release reads " + version);
            }
            final T value = reader.apply(in);
            if (in.hasRemaining()) {
                throw new SerializationException(what + " with " + in.remaining() + " bytes left over");
            }
            return value;
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new SerializationException("truncated or corrupt " + what, e);
        }
    }

    /** A required text: its length in UTF-8 bytes, then the bytes. */
    static String text(final ByteBuffer in, final String what) {
        final int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new SerializationException("truncated or corrupt " + what + ": a text of " + length + " bytes in " + in.remaining());
        }
        final String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
