package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import io.monitml.ingest.Limits;
import io.monitml.ingest.decoded.RowBatch;

class PairingSerdesTest {

    private final Serde<InferenceHalf> halves = PairingSerdes.halves();
    private final Serde<PendingInference> entries = PairingSerdes.entries();

    @Test
    void shouldKeepEveryPartOfAHalf() {
        final RowBatch cells = RowBatch.of(new String[] {"rm", "city"}, new double[] {6.5, Double.NaN, Double.NaN, Double.NaN},
            new String[] {null, "Zürich", null, null}, 2, 2);
        final InferenceHalf half = new InferenceHalf(true, "ns/housing/v1/model", 1_764_000_000_123L, 2, "boom", cells);

        final InferenceHalf read = halves.deserializer().deserialize("t", halves.serializer().serialize("t", half));

        assertThat(read.request()).isTrue();
        assertThat(read.unitKey()).isEqualTo("ns/housing/v1/model");
        assertThat(read.eventTime()).isEqualTo(1_764_000_000_123L);
        assertThat(read.rows()).isEqualTo(2);
        assertThat(read.error()).isEqualTo("boom");
        assertThat(read.values().name(1)).isEqualTo("city");
        assertThat(read.values().value(0, 0)).isEqualTo(6.5);
        assertThat(read.values().value(1, 1)).isNaN();
        assertThat(read.values().string(0, 1)).isEqualTo("Zürich");
        assertThat(read.values().string(1, 0)).isNull();
    }

    @Test
    void shouldCarryNoCellsWhenTheJoinedRowsAreNotWritten() {
        final InferenceHalf half = new InferenceHalf(false, "n/d/v/m", 5L, 1, null, null);
        final byte[] bytes = halves.serializer().serialize("t", half);

        assertThat(halves.deserializer().deserialize("t", bytes)).isEqualTo(half);
        // Version, flags, time, rows, the unit key: no per-row strings.
        assertThat(bytes).hasSize(1 + 1 + 8 + 4 + 4 + "n/d/v/m".length());
    }

    @Test
    void shouldKeepPositionalNamesPositional() {
        final RowBatch cells = RowBatch.numeric(null, new double[] {1, 2, 3}, 1, 3);
        final InferenceHalf read = roundTrip(new InferenceHalf(true, "a/b/c/d", 1, 1, null, cells));
        assertThat(read.values().hasNames()).isFalse();
        assertThat(read.values().name(2)).isEqualTo("f2");
    }

    @Test
    void shouldKeepAnEntryWithBothHalves() {
        final InferenceHalf request = new InferenceHalf(true, "a/b/c/d", 10, 1, null, RowBatch.numeric(new String[] {"x"}, new double[] {4}, 1, 1));
        final InferenceHalf response = new InferenceHalf(false, "a/b/v2/d", 30, 1, null, null);
        final PendingInference entry = new PendingInference(10, request, response);

        final PendingInference read = entries.deserializer().deserialize("t", entries.serializer().serialize("t", entry));

        assertThat(read.firstSeen()).isEqualTo(10);
        assertThat(read.request().values().value(0, 0)).isEqualTo(4.0);
        assertThat(read.response()).isEqualTo(response);
        assertThat(entries.deserializer().deserialize("t", entries.serializer().serialize("t", PendingInference.first(response))).request()).isNull();
    }

    @Test
    void shouldRefuseATruncatedOrForeignRecordWithAClearError() {
        final byte[] bytes = halves.serializer().serialize("t", new InferenceHalf(true, "a/b/c/d", 1, 1, null, null));
        assertThatThrownBy(() -> halves.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)))
            .isInstanceOf(SerializationException.class).hasMessageContaining("truncated");
        final byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;
        assertThatThrownBy(() -> halves.deserializer().deserialize("t", otherVersion))
            .isInstanceOf(SerializationException.class).hasMessageContaining("version 9");
        final byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> halves.deserializer().deserialize("t", longer))
            .isInstanceOf(SerializationException.class).hasMessageContaining("left over");
    }

    @Test
    void shouldBoundTheCellsItCarries() {
        final String longText = "x".repeat(Limits.MAX_CATEGORY_LENGTH + 50);
        final RowBatch wide = RowBatch.of(new String[] {"a", "b", "c"}, new double[] {Double.NaN, 2, 3}, new String[] {longText, null, null}, 1, 3);

        final RowBatch bounded = InferenceHalf.bounded(wide, 2);

        assertThat(bounded.columns()).isEqualTo(2);
        assertThat(bounded.string(0, 0)).hasSize(Limits.MAX_CATEGORY_LENGTH);
        final int rows = 10_000;
        final RowBatch tall = RowBatch.numeric(null, new double[rows * 13], rows, 13);
        final RowBatch kept = InferenceHalf.bounded(tall, 256);
        assertThat(kept.columns()).isEqualTo(13);
        assertThat(kept.rows()).isEqualTo(InferenceHalf.MAX_CELLS / 13);
        assertThat(PairingSerdes.writeHalf(new InferenceHalf(true, "a/b/c/d", 1, rows, null, kept))).hasSizeLessThan(600 << 10);
        final RowBatch within = RowBatch.numeric(new String[] {"a"}, new double[] {1}, 1, 1);
        assertThat(InferenceHalf.bounded(within, 2)).isSameAs(within);
    }

    private InferenceHalf roundTrip(final InferenceHalf half) {
        return halves.deserializer().deserialize("t", halves.serializer().serialize("t", half));
    }
}
