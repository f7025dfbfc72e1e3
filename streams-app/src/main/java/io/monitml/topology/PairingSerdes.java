package io.monitml.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.monitml.ingest.decoded.RowBatch;

/**
 * The pairing branch's internal formats: the halves on its repartition topic and the entries of its
 * store. Written by hand in one fixed layout, not Avro, because they are internal (never read by
 * anyone but this class) and sit on the per-event path: Avro's generic records with one named value
 * per cell took a third of the stream thread (BENCHMARKS.md), a length-prefixed layout with the cells
 * as packed doubles costs one array copy. The first byte is the format's version, so that a later
 * release can read what this one wrote.
 */
final class PairingSerdes {

    static final byte VERSION = 1;

    private static final int REQUEST = 1;
    private static final int ERROR = 1 << 1;
    private static final int VALUES = 1 << 2;
    private static final int NAMES = 1 << 3;
    private static final int TEXTS = 1 << 4;

    private static final int HAS_REQUEST = 1;
    private static final int HAS_RESPONSE = 1 << 1;

    private PairingSerdes() {
    }

    static Serde<InferenceHalf> halves() {
        return Serdes.serdeFrom((Serializer<InferenceHalf>) (topic, half) -> half == null ? null : writeHalf(half),
            (Deserializer<InferenceHalf>) (topic, bytes) -> bytes == null ? null : read(bytes, PairingSerdes::readHalf));
    }

    static Serde<PendingInference> entries() {
        return Serdes.serdeFrom((Serializer<PendingInference>) (topic, entry) -> entry == null ? null : writeEntry(entry),
            (Deserializer<PendingInference>) (topic, bytes) -> bytes == null ? null : read(bytes, PairingSerdes::readEntry));
    }

    static byte[] writeHalf(final InferenceHalf half) {
        return encodeHalf(half);
    }

    /** The version, flags and first-seen time, then each half seen in its own layout. */
    static byte[] writeEntry(final PendingInference entry) {
        final byte[] request = entry.request() == null ? null : encodeHalf(entry.request());
        final byte[] response = entry.response() == null ? null : encodeHalf(entry.response());
        final int flags = (request != null ? HAS_REQUEST : 0) | (response != null ? HAS_RESPONSE : 0);
        final ByteBuffer out = ByteBuffer.allocate(2 + Long.BYTES + (request == null ? 0 : request.length) + (response == null ? 0 : response.length));
        out.put(VERSION).put((byte) flags).putLong(entry.firstSeen());
        if (request != null) {
            out.put(request);
        }
        if (response != null) {
            out.put(response);
        }
        return out.array();
    }

    private static <T> T read(final byte[] bytes, final Function<ByteBuffer, T> reader) {
        return FixedLayout.read(bytes, VERSION, "pairing record", reader);
    }

    private static PendingInference readEntry(final ByteBuffer in) {
        final int flags = in.get();
        final long firstSeen = in.getLong();
        final InferenceHalf request = (flags & HAS_REQUEST) != 0 ? readVersionedHalf(in) : null;
        final InferenceHalf response = (flags & HAS_RESPONSE) != 0 ? readVersionedHalf(in) : null;
        return new PendingInference(firstSeen, request, response);
    }

    private static InferenceHalf readVersionedHalf(final ByteBuffer in) {
        final byte version = in.get();
        if (version != VERSION) {
            throw new SerializationException("pairing half of format version " + version);
        }
        return readHalf(in);
    }

    private static InferenceHalf readHalf(final ByteBuffer in) {
        final int flags = in.get();
        final long eventTime = in.getLong();
        final int rows = in.getInt();
        final String unitKey = string(in);
        final String error = (flags & ERROR) != 0 ? string(in) : null;
        RowBatch values = null;
        if ((flags & VALUES) != 0) {
            final int columns = in.getInt();
            String[] names = null;
            if ((flags & NAMES) != 0) {
                names = new String[columns];
                for (int column = 0; column < columns; column++) {
                    names[column] = string(in);
                }
            }
            final double[] cells = new double[Math.multiplyExact(rows, columns)];
            in.asDoubleBuffer().get(cells);
            in.position(in.position() + cells.length * Double.BYTES);
            String[] texts = null;
            if ((flags & TEXTS) != 0) {
                texts = new String[cells.length];
                for (int cell = 0; cell < cells.length; cell++) {
                    texts[cell] = nullableString(in);
                }
            }
            values = RowBatch.of(names, cells, texts, rows, columns);
        }
        return new InferenceHalf((flags & REQUEST) != 0, unitKey, eventTime, rows, error, values);
    }

    private static String string(final ByteBuffer in) {
        return FixedLayout.text(in, "pairing record");
    }

    private static String nullableString(final ByteBuffer in) {
        final int length = in.getInt();
        if (length < 0) {
            return null;
        }
        final String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    private static byte[] encodeHalf(final InferenceHalf half) {
        final byte[] unit = half.unitKey().getBytes(StandardCharsets.UTF_8);
        final byte[] error = half.error() == null ? null : half.error().getBytes(StandardCharsets.UTF_8);
        final RowBatch values = half.values();
        int size = 1 + 1 + Long.BYTES + Integer.BYTES + Integer.BYTES + unit.length + (error == null ? 0 : Integer.BYTES + error.length);
        byte[][] names = null;
        byte[][] texts = null;
        int flags = (half.request() ? REQUEST : 0) | (error != null ? ERROR : 0);
        if (values != null) {
            flags |= VALUES;
            final int columns = values.columns();
            final int cells = values.rows() * columns;
            size += Integer.BYTES + cells * Double.BYTES;
            if (values.hasNames()) {
                flags |= NAMES;
                names = new byte[columns][];
                for (int column = 0; column < columns; column++) {
                    names[column] = values.name(column).getBytes(StandardCharsets.UTF_8);
                    size += Integer.BYTES + names[column].length;
                }
            }
            if (hasTexts(values)) {
                flags |= TEXTS;
                texts = new byte[cells][];
                for (int row = 0; row < values.rows(); row++) {
                    for (int column = 0; column < columns; column++) {
                        final String text = values.string(row, column);
                        final int cell = row * columns + column;
                        texts[cell] = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
                        size += Integer.BYTES + (text == null ? 0 : texts[cell].length);
                    }
                }
            }
        }
        final ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION).put((byte) flags).putLong(half.eventTime()).putInt(half.rows());
        put(out, unit);
        if (error != null) {
            put(out, error);
        }
        if (values != null) {
            out.putInt(values.columns());
            if (names != null) {
                for (byte[] name : names) {
                    put(out, name);
                }
            }
            for (int row = 0; row < values.rows(); row++) {
                for (int column = 0; column < values.columns(); column++) {
                    out.putDouble(values.value(row, column));
                }
            }
            if (texts != null) {
                for (byte[] text : texts) {
                    put(out, text);
                }
            }
        }
        return out.array();
    }

    private static boolean hasTexts(final RowBatch values) {
        for (int row = 0; row < values.rows(); row++) {
            for (int column = 0; column < values.columns(); column++) {
                if (values.string(row, column) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void put(final ByteBuffer out, final byte[] bytes) {
        if (bytes == null) {
            out.putInt(-1);
        } else {
            out.putInt(bytes.length).put(bytes);
        }
    }
}
