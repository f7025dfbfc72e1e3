package io.monitml.ingest.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;
import io.monitml.proto.seldon.DefaultData;
import io.monitml.proto.seldon.Meta;
import io.monitml.proto.seldon.SeldonMessage;
import io.monitml.proto.seldon.Status;
import io.monitml.proto.seldon.Tensor;

class SeldonProtobufDecoderTest {

    private final SeldonProtobufDecoder decoder = new SeldonProtobufDecoder();

    private static Value number(final double value) {
        return Value.newBuilder().setNumberValue(value).build();
    }

    private static Value string(final String value) {
        return Value.newBuilder().setStringValue(value).build();
    }

    private static Value bool(final boolean value) {
        return Value.newBuilder().setBoolValue(value).build();
    }

    private static Value nullValue() {
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }

    private static Value list(final Value... values) {
        return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(Arrays.asList(values))).build();
    }

    private static String reason(final ThrowingCallable call) {
        final Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(InvalidRecordException.class);
        return ((InvalidRecordException) thrown).reason();
    }

    @Test
    void shouldDecodeAnNdarrayWithNamesStringsNullsAndBooleans() {
        final SeldonMessage message = SeldonMessage.newBuilder()
            .setMeta(Meta.newBuilder().setPuid("p-1"))
            .setData(DefaultData.newBuilder().addNames("rooms").addNames("city").addNames("garden")
                .setNdarray(ListValue.newBuilder()
                    .addValues(list(number(3), string("Boston"), bool(true)))
                    .addValues(list(nullValue(), string("Salem"), bool(false)))))
            .build();

        final SeldonProtobufMessage decoded = decoder.decode(message.toByteArray());

        assertThat(decoded.error()).isNull();
        assertThat(decoded.puid()).isEqualTo("p-1");
        final RowBatch rows = decoded.rows();
        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.columns()).isEqualTo(3);
        assertThat(rows.name(1)).isEqualTo("city");
        assertThat(rows.value(0, 0)).isEqualTo(3.0);
        assertThat(rows.value(1, 0)).isNaN();
        assertThat(rows.string(1, 0)).isNull();
        assertThat(rows.string(0, 1)).isEqualTo("Boston");
        assertThat(rows.value(0, 1)).isNaN();
        assertThat(rows.value(0, 2)).isEqualTo(1.0);
        assertThat(rows.value(1, 2)).isEqualTo(0.0);
    }

    @Test
    void shouldReadAFlatNdarrayAsOneRowAndFlattenNestedRows() {
        final SeldonMessage flat = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().setNdarray(ListValue.newBuilder()
                .addValues(number(1)).addValues(number(2)).addValues(number(3))))
            .build();
        final SeldonMessage nested = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().setNdarray(ListValue.newBuilder()
                .addValues(list(list(number(1), number(2)), list(number(3), number(4))))
                .addValues(list(list(number(5), number(6)), list(number(7), number(8))))))
            .build();

        final RowBatch flatRows = decoder.decode(flat.toByteArray()).rows();
        final RowBatch nestedRows = decoder.decode(nested.toByteArray()).rows();

        assertThat(flatRows.rows()).isEqualTo(1);
        assertThat(flatRows.columns()).isEqualTo(3);
        assertThat(flatRows.hasNames()).isFalse();
        assertThat(nestedRows.rows()).isEqualTo(2);
        assertThat(nestedRows.columns()).isEqualTo(4);
        assertThat(nestedRows.value(1, 3)).isEqualTo(8.0);
    }

    @Test
    void shouldDecodeATensorByItsShape() {
        final SeldonMessage message = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().addNames("a").addNames("b")
                .setTensor(Tensor.newBuilder().addShape(3).addShape(2)
                    .addValues(1).addValues(2).addValues(3).addValues(4).addValues(5).addValues(6)))
            .build();
        final SeldonMessage rankOne = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().setTensor(Tensor.newBuilder().addShape(3).addValues(1).addValues(2).addValues(3)))
            .build();

        final RowBatch rows = decoder.decode(message.toByteArray()).rows();
        final RowBatch oneRow = decoder.decode(rankOne.toByteArray()).rows();

        assertThat(rows.rows()).isEqualTo(3);
        assertThat(rows.columns()).isEqualTo(2);
        assertThat(rows.name(1)).isEqualTo("b");
        assertThat(rows.value(2, 1)).isEqualTo(6.0);
        assertThat(oneRow.rows()).as("a rank-1 tensor is one row, as in the JSON decoder").isEqualTo(1);
        assertThat(oneRow.columns()).isEqualTo(3);
    }

    @Test
    void shouldDecodeJsonDataObjectsAsRowsOverTheUnionOfTheirKeys() {
        final Value first = Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("age", number(31)).putFields("job", string("clerk"))).build();
        final Value second = Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("age", number(45)).putFields("married", bool(true))).build();
        final SeldonMessage one = SeldonMessage.newBuilder().setJsonData(first).build();
        final SeldonMessage many = SeldonMessage.newBuilder().setJsonData(list(first, second)).build();

        final RowBatch oneRow = decoder.decode(one.toByteArray()).rows();
        final RowBatch rows = decoder.decode(many.toByteArray()).rows();

        assertThat(oneRow.rows()).isEqualTo(1);
        assertThat(oneRow.columns()).isEqualTo(2);
        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.columns()).isEqualTo(3);
        assertThat(new String[] {rows.name(0), rows.name(1), rows.name(2)}).containsExactlyInAnyOrder("age", "job", "married");
        for (int c = 0; c < rows.columns(); c++) {
            switch (rows.name(c)) {
                case "age" -> assertThat(rows.value(1, c)).isEqualTo(45.0);
                case "job" -> {
                    assertThat(rows.string(0, c)).isEqualTo("clerk");
                    assertThat(rows.value(1, c)).as("a key the row lacks is missing").isNaN();
                    assertThat(rows.string(1, c)).isNull();
                }
                default -> {
                    assertThat(rows.value(0, c)).isNaN();
                    assertThat(rows.value(1, c)).isEqualTo(1.0);
                }
            }
        }
    }

    @Test
    void shouldReportTheErrorOfAFailedResponse() {
        final SeldonMessage message = SeldonMessage.newBuilder()
            .setStatus(Status.newBuilder().setCode(500).setInfo("model crashed").setStatus(Status.StatusFlag.FAILURE))
            .build();
        final SeldonMessage success = SeldonMessage.newBuilder()
            .setStatus(Status.newBuilder().setCode(200).setStatus(Status.StatusFlag.SUCCESS))
            .setData(DefaultData.newBuilder().setTensor(Tensor.newBuilder().addShape(1).addShape(1).addValues(0.5)))
            .build();

        final SeldonProtobufMessage failed = decoder.decode(message.toByteArray());

        assertThat(failed.rows()).isNull();
        assertThat(failed.error()).isEqualTo("500: model crashed");
        assertThat(decoder.decode(success.toByteArray()).error()).isNull();
    }

    @Test
    void shouldRefuseBodiesItDoesNotDecode() {
        final SeldonMessage bin = SeldonMessage.newBuilder().setBinData(ByteString.copyFromUtf8("\u0001\u0002")).build();
        final SeldonMessage str = SeldonMessage.newBuilder().setStrData("hello").build();
        final SeldonMessage tftensor = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(4, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.EMPTY).build()).build()))
            .build();

        assertThat(reason(() -> decoder.decode(bin.toByteArray()))).isEqualTo("unsupported-body");
        assertThat(reason(() -> decoder.decode(str.toByteArray()))).isEqualTo("unsupported-body");
        assertThat(reason(() -> decoder.decode(tftensor.toByteArray()))).isEqualTo("unsupported-body");
    }

    @Test
    void shouldRejectMalformedMessagesWithAReason() {
        final SeldonMessage namesMismatch = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().addNames("a").setNdarray(ListValue.newBuilder().addValues(list(number(1), number(2)))))
            .build();
        final SeldonMessage ragged = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().setNdarray(ListValue.newBuilder()
                .addValues(list(number(1), number(2))).addValues(list(number(3)))))
            .build();
        final SeldonMessage shape = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().setTensor(Tensor.newBuilder().addShape(2).addShape(2).addValues(1)))
            .build();
        final SeldonMessage infinite = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().setTensor(Tensor.newBuilder().addValues(Double.POSITIVE_INFINITY)))
            .build();
        final SeldonMessage empty = SeldonMessage.newBuilder().setMeta(Meta.newBuilder().setPuid("x")).build();
        final byte[] truncated = Arrays.copyOf(shape.toByteArray(), shape.toByteArray().length - 2);

        assertThat(reason(() -> decoder.decode(namesMismatch.toByteArray()))).isEqualTo("names-mismatch");
        assertThat(reason(() -> decoder.decode(ragged.toByteArray()))).isEqualTo("ragged-ndarray");
        assertThat(reason(() -> decoder.decode(shape.toByteArray()))).isEqualTo("shape-mismatch");
        assertThat(reason(() -> decoder.decode(infinite.toByteArray()))).isEqualTo("non-finite-number");
        assertThat(reason(() -> decoder.decode(empty.toByteArray()))).isEqualTo("no-data");
        assertThat(reason(() -> decoder.decode(truncated))).isEqualTo("bad-protobuf");
        assertThat(reason(() -> decoder.decode("{\"data\":{}}".getBytes(StandardCharsets.UTF_8)))).isEqualTo("bad-protobuf");
        assertThat(reason(() -> decoder.decode(new byte[0]))).isEqualTo("empty-body");
    }

    @Test
    void shouldDecodeAMessageEncodedByPythonsProtobufRuntime() throws IOException {
        // Written by fixtures/protobuf/make_fixtures.py: names [rooms, city, garden],
        // ndarray [[3, "Boston", true], [null, "Salem", false]], meta.puid "puid-7".
        final SeldonProtobufMessage decoded = decoder.decode(V2ProtobufDecoderTest.fixture("seldon_ndarray_names.bin"));

        assertThat(decoded.puid()).isEqualTo("puid-7");
        final RowBatch rows = decoded.rows();
        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.name(2)).isEqualTo("garden");
        assertThat(rows.value(0, 0)).isEqualTo(3.0);
        assertThat(rows.value(1, 0)).isNaN();
        assertThat(rows.string(1, 1)).isEqualTo("Salem");
        assertThat(rows.value(0, 2)).isEqualTo(1.0);
    }

    // Found by ProtobufDecoderFuzzTest: a tensor of shape [0, 2147483647] matches its zero values,
    // and its two billion empty columns were then named one by one (the decoder never returned).

    @Test
    void shouldRejectAnEmptyTensorDeclaringBillionsOfColumnsInsteadOfNamingThemAll() {
        final SeldonMessage named = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().addNames("c0").addNames("c1").addNames("c2")
                .setTensor(Tensor.newBuilder().addShape(0).addShape(Integer.MAX_VALUE)))
            .build();
        final SeldonMessage unnamed = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().setTensor(Tensor.newBuilder().addShape(0).addShape(Integer.MAX_VALUE)))
            .build();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(reason(() -> decoder.decode(named.toByteArray()))).isEqualTo("shape-mismatch");
            assertThat(reason(() -> decoder.decode(unnamed.toByteArray()))).isEqualTo("shape-mismatch");
        });
    }

    @Test
    void shouldStillDecodeAnEmptyTensorOfModestWidth() {
        final SeldonMessage message = SeldonMessage.newBuilder()
            .setData(DefaultData.newBuilder().setTensor(Tensor.newBuilder().addShape(0).addShape(3)))
            .build();

        final RowBatch rows = decoder.decode(message.toByteArray()).rows();

        assertThat(rows.rows()).isZero();
        assertThat(rows.columns()).isEqualTo(3);
    }
}
