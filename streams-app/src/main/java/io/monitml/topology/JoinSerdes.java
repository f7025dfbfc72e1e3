package io.monitml.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.monitml.ingest.Label;
import io.monitml.ingest.LabelJson;
import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * The label join's internal formats, by hand for the same reason as {@link PairingSerdes}: a
 * prediction crosses the repartition once per response. A label crosses as its JSON
 * ({@link LabelJson#write}), so that a label the join refuses reaches the dead-letter topic as
 * readable JSON; a prediction starts with its format's version byte, which is never {@code '{'}.
 */
final class JoinSerdes {

    static final byte VERSION = 1;
    private static final byte LABEL_START = '{';

    private JoinSerdes() {
    }

    static Serde<JoinInput> inputs() {
        return Serdes.serdeFrom((Serializer<JoinInput>) (topic, input) -> input == null ? null : write(input),
            (Deserializer<JoinInput>) (topic, bytes) -> bytes == null ? null : readInput(bytes));
    }

    /** The kept predictions: the unit, whether a label has judged them, and their values until then. */
    static Serde<KeptPrediction> kept() {
        return Serdes.serdeFrom((Serializer<KeptPrediction>) (topic, kept) -> kept == null ? null : writeKept(kept),
            (Deserializer<KeptPrediction>) (topic, bytes) -> bytes == null ? null : readKept(bytes));
    }

    /** The labels waiting for their prediction: the label's time, from which its wait counts, and the label. */
    static Serde<WaitingLabel> waiting() {
        return Serdes.serdeFrom((Serializer<WaitingLabel>) (topic, waiting) -> waiting == null ? null : writeWaiting(waiting),
            (Deserializer<WaitingLabel>) (topic, bytes) -> bytes == null ? null : readWaiting(bytes));
    }

    /**
     * @param labelled whether a label has judged it: a later label for it is a duplicate
     * @param values   the predictions, empty once labelled
     */
    record KeptPrediction(String unitKey, boolean labelled, double[] values) {

        KeptPrediction judged() {
            return new KeptPrediction(unitKey, true, new double[0]);
        }
    }

    /**
     * A label waiting for its prediction: its time, from which its wait counts, and its JSON as it came
     * ({@link JoinInput.Truth#json()}), read only when the label is joined. The expiry pass reads every
     * waiting label's time; with the label read there too, a replayed backlog's hundreds of thousands of
     * waiting labels were parsed at every pass.
     */
    static final class WaitingLabel {

        private final long since;
        private final byte[] json;

        /** @param truth the label, whose time is its wait's start */
        WaitingLabel(final JoinInput.Truth truth) {
            this(truth.label().timeMillis(), truth.json());
        }

        private WaitingLabel(final long since, final byte[] json) {
            this.since = since;
            this.json = json;
        }

        long since() {
            return since;
        }

        /** The label, for the request id it waits under (its key, which the JSON's must equal). */
        Label label(final String requestId) {
            try {
                return LabelJson.read(json, requestId, since);
            } catch (InvalidRecordException e) {
                throw new SerializationException("waiting label that cannot be read: " + e.getMessage(), e);
            }
        }
    }

    static byte[] write(final JoinInput input) {
        if (input instanceof JoinInput.Truth truth) {
            return LabelJson.write(truth.label());
        }
        final JoinInput.Prediction prediction = (JoinInput.Prediction) input;
        final byte[] unit = prediction.unitKey().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + Integer.BYTES + unit.length + Long.BYTES + Integer.BYTES + Double.BYTES * prediction.values().length)
            .put(VERSION).putInt(unit.length).put(unit).putLong(prediction.eventTime()).putInt(prediction.values().length)
            .put(doubles(prediction.values())).array();
    }

    static JoinInput readInput(final byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == LABEL_START) {
            try {
                return new JoinInput.Truth(LabelJson.read(bytes, null, 0L), bytes);
            } catch (InvalidRecordException e) {
                throw new SerializationException("label on the join's repartition could not be read: " + e.getMessage(), e);
            }
        }
        return read(bytes, in -> new JoinInput.Prediction(string(in), in.getLong(), values(in)));
    }

    private static byte[] writeKept(final KeptPrediction kept) {
        final byte[] unit = kept.unitKey().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + Integer.BYTES + unit.length + Integer.BYTES + Double.BYTES * kept.values().length)
            .put(VERSION).put((byte) (kept.labelled() ? 1 : 0)).putInt(unit.length).put(unit).putInt(kept.values().length)
            .put(doubles(kept.values())).array();
    }

    private static KeptPrediction readKept(final byte[] bytes) {
        return read(bytes, in -> {
            final boolean labelled = in.get() != 0;
            return new KeptPrediction(string(in), labelled, values(in));
        });
    }

    private static byte[] writeWaiting(final WaitingLabel waiting) {
        return ByteBuffer.allocate(1 + Long.BYTES + waiting.json.length).put(VERSION).putLong(waiting.since).put(waiting.json).array();
    }

    private static WaitingLabel readWaiting(final byte[] bytes) {
        return read(bytes, in -> {
            final long since = in.getLong();
            final byte[] label = new byte[in.remaining()];
            in.get(label);
            return new WaitingLabel(since, label);
        });
    }

    private static <T> T read(final byte[] bytes, final Function<ByteBuffer, T> reader) {
        return FixedLayout.read(bytes, VERSION, "label join record", in -> {
            try {
                return reader.apply(in);
            } catch (InvalidRecordException e) {
                throw new SerializationException("label join record with a label that cannot be read: " + e.getMessage(), e);
            }
        });
    }

    private static String string(final ByteBuffer in) {
        return FixedLayout.text(in, "label join record");
    }

    private static double[] values(final ByteBuffer in) {
        final int count = in.getInt();
        if (count < 0 || count > in.remaining() / Double.BYTES) {
            throw new SerializationException("label join record: " + count + " values in " + in.remaining() + " bytes");
        }
        final double[] values = new double[count];
        in.asDoubleBuffer().get(values);
        in.position(in.position() + count * Double.BYTES);
        return values;
    }

    private static byte[] doubles(final double[] values) {
        final ByteBuffer out = ByteBuffer.allocate(Double.BYTES * values.length);
        out.asDoubleBuffer().put(values);
        return out.array();
    }
}
