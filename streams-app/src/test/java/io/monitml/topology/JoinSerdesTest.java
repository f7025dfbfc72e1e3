package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.monitml.ingest.Label;

/** The label join's internal formats: what is written reads back equal, and a broken record is a serialization error. */
class JoinSerdesTest {

    @Test
    void readsBackWhatItWrites() {
        final JoinInput.Prediction prediction = new JoinInput.Prediction("seldon/housing/v1/classifier", 1_700_000_000_000L,
            new double[] {24_000.5, Double.NaN});
        final JoinInput read = JoinSerdes.inputs().deserializer().deserialize("t", JoinSerdes.inputs().serializer().serialize("t", prediction));
        assertThat(read).isInstanceOfSatisfying(JoinInput.Prediction.class, p -> {
            assertThat(p.unitKey()).isEqualTo(prediction.unitKey());
            assertThat(p.eventTime()).isEqualTo(prediction.eventTime());
            assertThat(p.values()).containsExactly(24_000.5, Double.NaN);
        });
        final JoinInput.Truth truth = new JoinInput.Truth(Label.ofVector("r-1", new double[] {1, 2}, 5));
        final byte[] written = JoinSerdes.inputs().serializer().serialize("t", truth);
        assertThat(new String(written, StandardCharsets.UTF_8)).as("a label crosses as its JSON").startsWith("{\"requestId\":\"r-1\"");
        assertThat(JoinSerdes.inputs().deserializer().deserialize("t", written)).isInstanceOfSatisfying(JoinInput.Truth.class,
            label -> assertThat(label.label()).isEqualTo(truth.label()));

        final JoinSerdes.KeptPrediction kept = new JoinSerdes.KeptPrediction("u", false, new double[] {3.0});
        final JoinSerdes.KeptPrediction keptRead = JoinSerdes.kept().deserializer().deserialize("t",
            JoinSerdes.kept().serializer().serialize("t", kept.judged()));
        assertThat(keptRead.labelled()).isTrue();
        assertThat(keptRead.values()).isEmpty();
        final JoinSerdes.WaitingLabel waiting = new JoinSerdes.WaitingLabel(truth);
        final JoinSerdes.WaitingLabel waitingRead = JoinSerdes.waiting().deserializer().deserialize("t",
            JoinSerdes.waiting().serializer().serialize("t", waiting));
        assertThat(waitingRead.since()).isEqualTo(5);
        assertThat(waitingRead.label("r-1")).isEqualTo(truth.label());
        // A label waits as it came, without a time: its time is its record's.
        final byte[] bare = "{ \"requestId\": \"r-2\", \"truth\": 3 }".getBytes(StandardCharsets.UTF_8);
        final JoinInput.Truth keyed = new JoinInput.Truth(io.monitml.ingest.LabelJson.read(bare, "r-2", 9L), bare);
        final JoinSerdes.WaitingLabel bareRead = JoinSerdes.waiting().deserializer().deserialize("t",
            JoinSerdes.waiting().serializer().serialize("t", new JoinSerdes.WaitingLabel(keyed)));
        assertThat(bareRead.since()).isEqualTo(9);
        assertThat(bareRead.label("r-2")).isEqualTo(Label.ofNumber("r-2", 3, 9));
    }

    @Test
    void refusesRecordsCutShortOfAnotherVersionOrWithALabelThatCannotBeRead() {
        final byte[] whole = JoinSerdes.inputs().serializer().serialize("t", new JoinInput.Prediction("u", 1, new double[] {1, 2}));
        assertThatThrownBy(() -> JoinSerdes.inputs().deserializer().deserialize("t", Arrays.copyOf(whole, whole.length - 3)))
            .isInstanceOf(SerializationException.class).hasMessageContaining("label join record");
        final byte[] other = whole.clone();
        other[0] = 9;
        assertThatThrownBy(() -> JoinSerdes.inputs().deserializer().deserialize("t", other)).isInstanceOf(SerializationException.class)
            .hasMessageContaining("version 9");
        assertThatThrownBy(() -> JoinSerdes.inputs().deserializer().deserialize("t", "{\"truth\":1}".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(SerializationException.class).hasMessageContaining("requestId");
    }
}
