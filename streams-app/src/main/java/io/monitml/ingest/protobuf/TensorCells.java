package io.monitml.ingest.protobuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.google.protobuf.ByteString;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.proto.v2.InferTensorContents;

/**
 * Reads one tensor's elements, typed or raw, into a dense double array (strings for BYTES, with NaN
 * in the number's place). The generated classes' indexed getters return primitives, so nothing is
 * boxed on the way.
 */
final class TensorCells {

    private static final int LENGTH_PREFIX = 4;

    private TensorCells() {
    }

    /** How many elements the tensor carries, whatever its shape says. */
    static int count(final V2Datatype type, final TensorView tensor) {
        return tensor.raw() == null ? typedCount(type, tensor.contents()) : rawCount(type, tensor);
    }

    /**
     * Writes the tensor's {@code count} elements to {@code values[0..count)}, and for BYTES its
     * strings to {@code strings}. {@link #count} must have been checked first.
     */
    static void fill(final V2Datatype type, final TensorView tensor, final int count, final double[] values, final String[] strings) {
        if (tensor.raw() == null) {
            fillTyped(type, tensor, count, values, strings);
        } else {
            fillRaw(type, tensor, count, values, strings);
        }
    }

    private static int typedCount(final V2Datatype type, final InferTensorContents contents) {
        return switch (type) {
            case BOOL -> contents.getBoolContentsCount();
            case INT8, INT16, INT32 -> contents.getIntContentsCount();
            case INT64 -> contents.getInt64ContentsCount();
            case UINT8, UINT16, UINT32 -> contents.getUintContentsCount();
            case UINT64 -> contents.getUint64ContentsCount();
            case FP32 -> contents.getFp32ContentsCount();
            case FP64 -> contents.getFp64ContentsCount();
            case BYTES -> contents.getBytesContentsCount();
            // No typed field exists for these: they can only come as raw contents.
            case FP16, BF16 -> 0;
        };
    }

    private static int rawCount(final V2Datatype type, final TensorView tensor) {
        final ByteString raw = tensor.raw();
        if (type == V2Datatype.BYTES) {
            return walkBytes(tensor, null);
        }
        if (raw.size() % type.width() != 0) {
            throw new InvalidRecordException("shape-mismatch", "The raw contents of tensor \"" + tensor.name() + "\" hold "
                + raw.size() + " bytes, not a whole number of " + type.width() + "-byte " + type + " elements");
        }
        return raw.size() / type.width();
    }

    private static void fillTyped(final V2Datatype type, final TensorView tensor, final int count, final double[] values,
                                  final String[] strings) {
        final InferTensorContents contents = tensor.contents();
        switch (type) {
            case BOOL -> {
                for (int i = 0; i < count; i++) {
                    values[i] = contents.getBoolContents(i) ? 1.0 : 0.0;
                }
            }
            case INT8, INT16, INT32 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = contents.getIntContents(i);
                }
            }
            case INT64 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = contents.getInt64Contents(i);
                }
            }
            case UINT8, UINT16, UINT32 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = Integer.toUnsignedLong(contents.getUintContents(i));
                }
            }
            case UINT64 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = unsignedToDouble(contents.getUint64Contents(i));
                }
            }
            case FP32 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = finite(contents.getFp32Contents(i), tensor);
                }
            }
            case FP64 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = finite(contents.getFp64Contents(i), tensor);
                }
            }
            case BYTES -> {
                for (int i = 0; i < count; i++) {
                    strings[i] = contents.getBytesContents(i).toStringUtf8();
                    values[i] = Double.NaN;
                }
            }
            case FP16, BF16 -> {
                // count is 0: checked against the shape before filling.
            }
        }
    }

    private static void fillRaw(final V2Datatype type, final TensorView tensor, final int count, final double[] values,
                                final String[] strings) {
        if (type == V2Datatype.BYTES) {
            walkBytes(tensor, strings);
            for (int i = 0; i < count; i++) {
                values[i] = Double.NaN;
            }
            return;
        }
        // slice() so that absolute indexes start at the tensor's first byte, whatever array backs it.
        final ByteBuffer raw = tensor.raw().asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case BOOL -> {
                for (int i = 0; i < count; i++) {
                    values[i] = raw.get(i) != 0 ? 1.0 : 0.0;
                }
            }
            case INT8 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = raw.get(i);
                }
            }
            case UINT8 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = raw.get(i) & 0xFF;
                }
            }
            case INT16 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = raw.getShort(i * 2);
                }
            }
            case UINT16 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = raw.getShort(i * 2) & 0xFFFF;
                }
            }
            case FP16 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = finite(HalfFloat.toFloat(raw.getShort(i * 2) & 0xFFFF), tensor);
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = finite(Float.intBitsToFloat((raw.getShort(i * 2) & 0xFFFF) << 16), tensor);
                }
            }
            case INT32 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = raw.getInt(i * 4);
                }
            }
            case UINT32 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = Integer.toUnsignedLong(raw.getInt(i * 4));
                }
            }
            case FP32 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = finite(raw.getFloat(i * 4), tensor);
                }
            }
            case INT64 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = raw.getLong(i * 8);
                }
            }
            case UINT64 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = unsignedToDouble(raw.getLong(i * 8));
                }
            }
            case FP64 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = finite(raw.getDouble(i * 8), tensor);
                }
            }
            case BYTES -> throw new IllegalStateException("BYTES is read above");
        }
    }

    /**
     * Walks raw BYTES elements (4-byte little-endian length, then the bytes), decoding them into
     * {@code strings} when it is not null; returns how many there are.
     */
    private static int walkBytes(final TensorView tensor, final String[] strings) {
        final ByteString raw = tensor.raw();
        final ByteBuffer buffer = raw.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
        final int size = raw.size();
        int position = 0;
        int count = 0;
        while (position < size) {
            if (size - position < LENGTH_PREFIX) {
                throw badBytes(tensor, "ends inside a length prefix");
            }
            final int length = buffer.getInt(position);
            position += LENGTH_PREFIX;
            if (length < 0 || length > size - position) {
                throw badBytes(tensor, "has an element of " + Integer.toUnsignedString(length) + " bytes where "
                    + (size - position) + " remain");
            }
            if (strings != null) {
                strings[count] = raw.substring(position, position + length).toStringUtf8();
            }
            position += length;
            count++;
        }
        return count;
    }

    private static InvalidRecordException badBytes(final TensorView tensor, final String detail) {
        return new InvalidRecordException("shape-mismatch", "The raw BYTES contents of tensor \"" + tensor.name() + "\" " + detail);
    }

    /** A uint64 (held in a signed long) as the nearest double, also above Long.MAX_VALUE. */
    static double unsignedToDouble(final long value) {
        if (value >= 0) {
            return value;
        }
        // Halve (keeping the low bit so rounding stays right), convert, double again.
        return ((value >>> 1) | (value & 1)) * 2.0;
    }

    /** NaN passes as a missing value; infinities would poison every sum downstream, so the record is refused. */
    private static double finite(final double value, final TensorView tensor) {
        if (Double.isInfinite(value)) {
            throw new InvalidRecordException("non-finite-number",
                "Tensor \"" + tensor.name() + "\" holds " + value + "; only finite numbers and NaN (missing) are accepted");
        }
        return value;
    }
}
