package io.monitml.ingest.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;
import io.monitml.proto.v2.InferTensorContents;
import io.monitml.proto.v2.ModelInferRequest.InferInputTensor;
import io.monitml.proto.v2.ModelInferRequest;
import io.monitml.proto.v2.ModelInferResponse.InferOutputTensor;
import io.monitml.proto.v2.ModelInferResponse;

class V2ProtobufDecoderTest {

    private static final double UINT64_MAX = 18446744073709551615.0;

    private final V2ProtobufDecoder decoder = new V2ProtobufDecoder();

    private static InferInputTensor.Builder input(final String name, final String datatype, final long... shape) {
        final InferInputTensor.Builder input = InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        for (final long dimension : shape) {
            input.addShape(dimension);
        }
        return input;
    }

    private static ByteString littleEndian(final int bytes, final Consumer<ByteBuffer> writer) {
        final ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        writer.accept(buffer);
        return ByteString.copyFrom(buffer.array());
    }

    private static ByteString rawStrings(final String... values) {
        final ByteString.Output out = ByteString.newOutput();
        for (final String value : values) {
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array(), 0, 4);
            out.write(bytes, 0, bytes.length);
        }
        return out.toByteString();
    }

    private static String reason(final ThrowingCallable call) {
        final Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(InvalidRecordException.class);
        return ((InvalidRecordException) thrown).reason();
    }

    private static double column(final RowBatch rows, final String name, final int row) {
        for (int c = 0; c < rows.columns(); c++) {
            if (rows.name(c).equals(name)) {
                return rows.value(row, c);
            }
        }
        throw new AssertionError("no column " + name + " in " + rows);
    }

    private static String stringColumn(final RowBatch rows, final String name, final int row) {
        for (int c = 0; c < rows.columns(); c++) {
            if (rows.name(c).equals(name)) {
                return rows.string(row, c);
            }
        }
        throw new AssertionError("no column " + name + " in " + rows);
    }

    @Test
    void shouldDecodeTypedContentsOfEveryDatatype() {
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .setModelName("income").setModelVersion("2").setId("abc")
            .addInputs(input("bool", "BOOL", 2).setContents(InferTensorContents.newBuilder().addBoolContents(true).addBoolContents(false)))
            .addInputs(input("int8", "INT8", 2).setContents(InferTensorContents.newBuilder().addIntContents(-128).addIntContents(127)))
            .addInputs(input("int16", "INT16", 2).setContents(InferTensorContents.newBuilder().addIntContents(-32768).addIntContents(1)))
            .addInputs(input("int32", "INT32", 2).setContents(InferTensorContents.newBuilder().addIntContents(Integer.MIN_VALUE).addIntContents(2)))
            .addInputs(input("int64", "INT64", 2).setContents(InferTensorContents.newBuilder().addInt64Contents(-(1L << 40)).addInt64Contents(3)))
            .addInputs(input("uint8", "UINT8", 2).setContents(InferTensorContents.newBuilder().addUintContents(255).addUintContents(4)))
            .addInputs(input("uint16", "UINT16", 2).setContents(InferTensorContents.newBuilder().addUintContents(65535).addUintContents(5)))
            // uint32 4294967295 is the int -1 on the Java side.
            .addInputs(input("uint32", "UINT32", 2).setContents(InferTensorContents.newBuilder().addUintContents(-1).addUintContents(6)))
            .addInputs(input("uint64", "UINT64", 2).setContents(InferTensorContents.newBuilder().addUint64Contents(-1L).addUint64Contents(7)))
            .addInputs(input("fp32", "FP32", 2).setContents(InferTensorContents.newBuilder().addFp32Contents(0.25f).addFp32Contents(Float.NaN)))
            .addInputs(input("fp64", "FP64", 2).setContents(InferTensorContents.newBuilder().addFp64Contents(0.1).addFp64Contents(-9.5)))
            .addInputs(input("city", "BYTES", 2).setContents(InferTensorContents.newBuilder()
                .addBytesContents(ByteString.copyFromUtf8("Zürich")).addBytesContents(ByteString.copyFromUtf8("Salem"))))
            .build();

        final V2Message message = decoder.decodeRequest(request.toByteArray());

        assertThat(message.modelName()).isEqualTo("income");
        assertThat(message.modelVersion()).isEqualTo("2");
        assertThat(message.id()).isEqualTo("abc");
        assertThat(message.response()).isFalse();
        final RowBatch rows = message.rows();
        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.columns()).isEqualTo(12);
        assertThat(column(rows, "bool", 0)).isEqualTo(1.0);
        assertThat(column(rows, "bool", 1)).isEqualTo(0.0);
        assertThat(column(rows, "int8", 0)).isEqualTo(-128.0);
        assertThat(column(rows, "int16", 0)).isEqualTo(-32768.0);
        assertThat(column(rows, "int32", 0)).isEqualTo(Integer.MIN_VALUE);
        assertThat(column(rows, "int64", 0)).isEqualTo(-(double) (1L << 40));
        assertThat(column(rows, "int64", 1)).isEqualTo(3.0);
        assertThat(column(rows, "uint8", 0)).isEqualTo(255.0);
        assertThat(column(rows, "uint16", 0)).isEqualTo(65535.0);
        assertThat(column(rows, "uint32", 0)).isEqualTo(4294967295.0);
        assertThat(column(rows, "uint64", 0)).isEqualTo(UINT64_MAX);
        assertThat(column(rows, "uint64", 1)).isEqualTo(7.0);
        assertThat(column(rows, "fp32", 0)).isEqualTo(0.25);
        assertThat(column(rows, "fp32", 1)).isNaN();
        assertThat(column(rows, "fp64", 0)).isEqualTo(0.1);
        assertThat(stringColumn(rows, "city", 0)).isEqualTo("Zürich");
        assertThat(column(rows, "city", 0)).isNaN();
        assertThat(stringColumn(rows, "city", 1)).isEqualTo("Salem");
        assertThat(stringColumn(rows, "fp64", 0)).isNull();
    }

    @Test
    void shouldDecodeRawContentsOfEveryDatatype() {
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .addInputs(input("bool", "BOOL", 2)).addRawInputContents(ByteString.copyFrom(new byte[] {1, 0}))
            .addInputs(input("int8", "INT8", 2)).addRawInputContents(ByteString.copyFrom(new byte[] {-128, 127}))
            .addInputs(input("uint8", "UINT8", 2)).addRawInputContents(ByteString.copyFrom(new byte[] {(byte) 255, 4}))
            .addInputs(input("int16", "INT16", 2)).addRawInputContents(littleEndian(4, b -> b.putShort((short) -32768).putShort((short) 1)))
            .addInputs(input("uint16", "UINT16", 2)).addRawInputContents(littleEndian(4, b -> b.putShort((short) 0xFFFF).putShort((short) 5)))
            .addInputs(input("fp16", "FP16", 2)).addRawInputContents(littleEndian(4, b -> b.putShort((short) 0x3C00).putShort((short) 0xC000)))
            .addInputs(input("int32", "INT32", 2)).addRawInputContents(littleEndian(8, b -> b.putInt(Integer.MIN_VALUE).putInt(2)))
            .addInputs(input("uint32", "UINT32", 2)).addRawInputContents(littleEndian(8, b -> b.putInt(-1).putInt(6)))
            .addInputs(input("fp32", "FP32", 2)).addRawInputContents(littleEndian(8, b -> b.putFloat(0.25f).putFloat(Float.NaN)))
            .addInputs(input("int64", "INT64", 2)).addRawInputContents(littleEndian(16, b -> b.putLong(Long.MIN_VALUE).putLong(3)))
            .addInputs(input("uint64", "UINT64", 2)).addRawInputContents(littleEndian(16, b -> b.putLong(-1L).putLong(1L << 63)))
            .addInputs(input("fp64", "FP64", 2)).addRawInputContents(littleEndian(16, b -> b.putDouble(0.1).putDouble(-9.5)))
            .addInputs(input("bf16", "BF16", 2)).addRawInputContents(littleEndian(4, b -> b.putShort((short) 0x3F80).putShort((short) 0xC020)))
            .addInputs(input("city", "BYTES", 2)).addRawInputContents(rawStrings("Zürich", ""))
            .build();

        final RowBatch rows = decoder.decodeRequest(request.toByteArray()).rows();

        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.columns()).isEqualTo(14);
        assertThat(column(rows, "bool", 0)).isEqualTo(1.0);
        assertThat(column(rows, "bool", 1)).isEqualTo(0.0);
        assertThat(column(rows, "int8", 0)).isEqualTo(-128.0);
        assertThat(column(rows, "uint8", 0)).isEqualTo(255.0);
        assertThat(column(rows, "int16", 0)).isEqualTo(-32768.0);
        assertThat(column(rows, "uint16", 0)).isEqualTo(65535.0);
        assertThat(column(rows, "fp16", 0)).isEqualTo(1.0);
        assertThat(column(rows, "fp16", 1)).isEqualTo(-2.0);
        assertThat(column(rows, "int32", 0)).isEqualTo(Integer.MIN_VALUE);
        assertThat(column(rows, "uint32", 0)).isEqualTo(4294967295.0);
        assertThat(column(rows, "fp32", 0)).isEqualTo(0.25);
        assertThat(column(rows, "fp32", 1)).isNaN();
        assertThat(column(rows, "int64", 0)).isEqualTo((double) Long.MIN_VALUE);
        assertThat(column(rows, "uint64", 0)).isEqualTo(UINT64_MAX);
        assertThat(column(rows, "uint64", 1)).isEqualTo(9223372036854775808.0);
        assertThat(column(rows, "fp64", 1)).isEqualTo(-9.5);
        assertThat(column(rows, "bf16", 0)).isEqualTo(1.0);
        assertThat(column(rows, "bf16", 1)).isEqualTo(-2.5);
        assertThat(stringColumn(rows, "city", 0)).isEqualTo("Zürich");
        assertThat(stringColumn(rows, "city", 1)).isEmpty();
    }

    @Test
    void shouldConvertRawHalfPrecisionIncludingTheLargestAndSubnormalValues() {
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP16", 1, 5))
            .addRawInputContents(littleEndian(10, b -> b.putShort((short) 0x3C00).putShort((short) 0xC000)
                .putShort((short) 0x7BFF).putShort((short) 0x0001).putShort((short) 0x7E00)))
            .build();

        final RowBatch rows = decoder.decodeRequest(request.toByteArray()).rows();

        assertThat(rows.rows()).isEqualTo(1);
        assertThat(rows.columns()).isEqualTo(5);
        assertThat(rows.value(0, 0)).isEqualTo(1.0);
        assertThat(rows.value(0, 1)).isEqualTo(-2.0);
        assertThat(rows.value(0, 2)).isEqualTo(65504.0);
        assertThat(rows.value(0, 3)).isEqualTo(Math.pow(2, -24));
        assertThat(rows.value(0, 4)).as("a half NaN is a missing value").isNaN();
    }

    @Test
    void shouldRejectInfinitiesButKeepNaNAsMissing() {
        final ModelInferRequest typed = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP32", 2).setContents(InferTensorContents.newBuilder()
                .addFp32Contents(Float.NaN).addFp32Contents(Float.NEGATIVE_INFINITY)))
            .build();
        final ModelInferRequest half = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP16", 1)).addRawInputContents(littleEndian(2, b -> b.putShort((short) 0x7C00)))
            .build();
        final ModelInferRequest raw = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP64", 1)).addRawInputContents(littleEndian(8, b -> b.putDouble(Double.POSITIVE_INFINITY)))
            .build();

        assertThat(reason(() -> decoder.decodeRequest(typed.toByteArray()))).isEqualTo("non-finite-number");
        assertThat(reason(() -> decoder.decodeRequest(half.toByteArray()))).isEqualTo("non-finite-number");
        assertThat(reason(() -> decoder.decodeRequest(raw.toByteArray()))).isEqualTo("non-finite-number");
    }

    @Test
    void shouldNameOneColumnInputsAfterTheirTensorsPandasStyle() {
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .addInputs(input("age", "INT64", 3).setContents(InferTensorContents.newBuilder()
                .addInt64Contents(31).addInt64Contents(45).addInt64Contents(27)))
            .addInputs(input("income", "FP64", 3, 1).setContents(InferTensorContents.newBuilder()
                .addFp64Contents(1e4).addFp64Contents(2e4).addFp64Contents(3e4)))
            .addInputs(input("job", "BYTES", 3).setContents(InferTensorContents.newBuilder()
                .addBytesContents(ByteString.copyFromUtf8("clerk")).addBytesContents(ByteString.copyFromUtf8("nurse"))
                .addBytesContents(ByteString.copyFromUtf8("pilot"))))
            .build();

        final RowBatch rows = decoder.decodeRequest(request.toByteArray()).rows();

        assertThat(rows.rows()).isEqualTo(3);
        assertThat(rows.columns()).isEqualTo(3);
        assertThat(rows.name(0)).isEqualTo("age");
        assertThat(rows.name(1)).isEqualTo("income");
        assertThat(rows.name(2)).isEqualTo("job");
        assertThat(rows.value(2, 0)).isEqualTo(27.0);
        assertThat(rows.value(1, 1)).isEqualTo(2e4);
        assertThat(rows.string(2, 2)).isEqualTo("pilot");
        assertThat(rows.string(2, 1)).isNull();
    }

    @Test
    void shouldSuffixTheColumnsOfAWideTensorAmongSeveral() {
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .addInputs(input("pixels", "FP32", 2, 1, 3).setContents(InferTensorContents.newBuilder()
                .addFp32Contents(1).addFp32Contents(2).addFp32Contents(3).addFp32Contents(4).addFp32Contents(5).addFp32Contents(6)))
            .addInputs(input("scale", "FP32", 2).setContents(InferTensorContents.newBuilder().addFp32Contents(10).addFp32Contents(20)))
            .build();

        final RowBatch rows = decoder.decodeRequest(request.toByteArray()).rows();

        assertThat(rows.columns()).isEqualTo(4);
        assertThat(new String[] {rows.name(0), rows.name(1), rows.name(2), rows.name(3)})
            .containsExactly("pixels_0", "pixels_1", "pixels_2", "scale");
        assertThat(rows.value(1, 0)).isEqualTo(4.0);
        assertThat(rows.value(1, 2)).isEqualTo(6.0);
        assertThat(rows.value(1, 3)).isEqualTo(20.0);
    }

    @Test
    void shouldKeepPositionalNamesForASingleFeatureMatrix() {
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .addInputs(input("predict", "FP64", 2, 2).setContents(InferTensorContents.newBuilder()
                .addFp64Contents(1).addFp64Contents(2).addFp64Contents(3).addFp64Contents(4)))
            .build();

        final RowBatch rows = decoder.decodeRequest(request.toByteArray()).rows();

        assertThat(rows.hasNames()).isFalse();
        assertThat(rows.name(1)).isEqualTo("f1");
        assertThat(rows.value(1, 0)).isEqualTo(3.0);
    }

    @Test
    void shouldDecodeTheTfsimpleResponseOfSeldonsDocumentation() {
        // {"modelName":"tfsimple1_1","modelVersion":"1","outputs":[{"name":"OUTPUT0","datatype":"INT32",
        //  "shape":["1","16"],"contents":{"intContents":[2,4,6,...,32]}}]}
        final InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 1; i <= 16; i++) {
            contents.addIntContents(2 * i);
        }
        final ModelInferResponse response = ModelInferResponse.newBuilder()
            .setModelName("tfsimple1_1").setModelVersion("1")
            .addOutputs(InferOutputTensor.newBuilder().setName("OUTPUT0").setDatatype("INT32").addShape(1).addShape(16).setContents(contents))
            .build();

        final V2Message message = decoder.decodeResponse(response.toByteArray());

        assertThat(message.response()).isTrue();
        assertThat(message.modelName()).isEqualTo("tfsimple1_1");
        assertThat(message.modelVersion()).isEqualTo("1");
        assertThat(message.id()).isNull();
        assertThat(message.rows().rows()).isEqualTo(1);
        assertThat(message.rows().columns()).isEqualTo(16);
        assertThat(message.rows().value(0, 0)).isEqualTo(2.0);
        assertThat(message.rows().value(0, 15)).isEqualTo(32.0);
    }

    @Test
    void shouldDecodeRawResponseContentsByOutputIndex() {
        final ModelInferResponse response = ModelInferResponse.newBuilder()
            .addOutputs(InferOutputTensor.newBuilder().setName("proba").setDatatype("FP32").addShape(2))
            .addOutputs(InferOutputTensor.newBuilder().setName("label").setDatatype("BYTES").addShape(2))
            .addRawOutputContents(littleEndian(8, b -> b.putFloat(0.75f).putFloat(0.5f)))
            .addRawOutputContents(rawStrings("yes", "no"))
            .build();

        final RowBatch rows = decoder.decodeResponse(response.toByteArray()).rows();

        assertThat(rows.name(0)).isEqualTo("proba");
        assertThat(rows.value(1, 0)).isEqualTo(0.5);
        assertThat(rows.string(0, 1)).isEqualTo("yes");
        assertThat(rows.string(1, 1)).isEqualTo("no");
    }

    @Test
    void shouldSkipTheConfluentSchemaRegistryFraming() {
        final byte[] plain = ModelInferRequest.newBuilder().setModelName("m")
            .addInputs(input("x", "FP64", 1).setContents(InferTensorContents.newBuilder().addFp64Contents(4.5)))
            .build().toByteArray();
        final byte[] framed = new byte[plain.length + 6];
        // Magic 0, schema id 42 big-endian, message path [0] as the single byte 0.
        framed[4] = 42;
        System.arraycopy(plain, 0, framed, 6, plain.length);
        final byte[] response = ModelInferResponse.newBuilder()
            .addOutputs(InferOutputTensor.newBuilder().setName("y").setDatatype("INT64").addShape(1)
                .setContents(InferTensorContents.newBuilder().addInt64Contents(9)))
            .build().toByteArray();
        // The response is the schema's second message: path [1], count 1 then index 1, both zigzag.
        final byte[] framedResponse = new byte[response.length + 7];
        framedResponse[4] = 43;
        framedResponse[5] = 2;
        framedResponse[6] = 2;
        System.arraycopy(response, 0, framedResponse, 7, response.length);

        assertThat(decoder.decodeRequest(framed).rows().value(0, 0)).isEqualTo(4.5);
        assertThat(decoder.decodeRequest(framed).modelName()).isEqualTo("m");
        assertThat(decoder.decodeResponse(framedResponse).rows().value(0, 0)).isEqualTo(9.0);
    }

    @Test
    void shouldRejectContentsThatDoNotFitTheShape() {
        final ModelInferRequest typed = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP32", 2, 2).setContents(InferTensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2)))
            .build();
        final ModelInferRequest wrongField = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP32", 1).setContents(InferTensorContents.newBuilder().addFp64Contents(1)))
            .build();
        final ModelInferRequest rawNotWhole = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP32", 1)).addRawInputContents(ByteString.copyFrom(new byte[] {0, 0, 0}))
            .build();
        final ModelInferRequest rawTooFew = ModelInferRequest.newBuilder()
            .addInputs(input("x", "INT16", 3)).addRawInputContents(littleEndian(4, b -> b.putShort((short) 1).putShort((short) 2)))
            .build();
        final ModelInferRequest rawBytesCut = ModelInferRequest.newBuilder()
            .addInputs(input("x", "BYTES", 1)).addRawInputContents(rawStrings("Boston").substring(0, 7))
            .build();
        final ModelInferRequest rawMissing = ModelInferRequest.newBuilder()
            .addInputs(input("a", "FP32", 1)).addInputs(input("b", "FP32", 1))
            .addRawInputContents(littleEndian(4, b -> b.putFloat(1)))
            .build();
        final ModelInferRequest rowsDiffer = ModelInferRequest.newBuilder()
            .addInputs(input("a", "INT32", 2).setContents(InferTensorContents.newBuilder().addIntContents(1).addIntContents(2)))
            .addInputs(input("b", "INT32", 1).setContents(InferTensorContents.newBuilder().addIntContents(3)))
            .build();
        final ModelInferRequest negative = ModelInferRequest.newBuilder()
            .addInputs(input("x", "INT32", -1).setContents(InferTensorContents.newBuilder().addIntContents(1)))
            .build();
        final ModelInferRequest huge = ModelInferRequest.newBuilder()
            .addInputs(input("x", "INT32", 1L << 40, 1L << 40).setContents(InferTensorContents.newBuilder().addIntContents(1)))
            .build();
        final ModelInferRequest halfTyped = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP16", 1).setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
            .build();

        for (final ModelInferRequest request : Arrays.asList(typed, wrongField, rawNotWhole, rawTooFew, rawBytesCut, rawMissing,
            rowsDiffer, negative, huge, halfTyped)) {
            assertThat(reason(() -> decoder.decodeRequest(request.toByteArray()))).as(request.toString()).isEqualTo("shape-mismatch");
        }
    }

    @Test
    void shouldRejectAnUnknownDatatype() {
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FLOAT32", 1).setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
            .build();

        assertThatThrownBy(() -> decoder.decodeRequest(request.toByteArray()))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("FLOAT32")
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("unknown-datatype");
    }

    @Test
    void shouldRejectBytesThatAreNotProtobuf() {
        final byte[] whole = ModelInferRequest.newBuilder().setModelName("iris")
            .addInputs(input("x", "FP64", 1).setContents(InferTensorContents.newBuilder().addFp64Contents(1)))
            .build().toByteArray();
        final byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
        final byte[] garbage = "{\"inputs\": []}".getBytes(StandardCharsets.UTF_8);

        assertThat(reason(() -> decoder.decodeRequest(truncated))).isEqualTo("bad-protobuf");
        assertThat(reason(() -> decoder.decodeResponse(truncated))).isEqualTo("bad-protobuf");
        assertThat(reason(() -> decoder.decodeRequest(garbage))).isEqualTo("bad-protobuf");
        assertThat(reason(() -> decoder.decodeRequest(new byte[] {0, 0, 1}))).isEqualTo("bad-protobuf");
        assertThat(reason(() -> decoder.decodeRequest(new byte[0]))).isEqualTo("empty-body");
    }

    @Test
    void shouldRejectAMessageWithoutTensors() {
        final byte[] value = ModelInferRequest.newBuilder().setModelName("iris").build().toByteArray();

        assertThat(reason(() -> decoder.decodeRequest(value))).isEqualTo("no-data");
    }

    @Test
    void shouldDecodeARequestEncodedByPythonsProtobufRuntime() throws IOException {
        // Written by fixtures/protobuf/make_fixtures.py: FP16 [2,2] raw (1, -2, 65504, 2^-24),
        // FP32 [2] raw (0.5, -1.25), BYTES [2] raw ("Boston", "Zürich").
        final byte[] value = fixture("v2_request_raw_fp16_fp32_bytes.bin");

        final V2Message message = decoder.decodeRequest(value);

        assertThat(message.modelName()).isEqualTo("iris");
        assertThat(message.modelVersion()).isEqualTo("3");
        assertThat(message.id()).isEqualTo("req-1");
        final RowBatch rows = message.rows();
        assertThat(rows.rows()).isEqualTo(2);
        assertThat(new String[] {rows.name(0), rows.name(1), rows.name(2), rows.name(3)})
            .containsExactly("x16_0", "x16_1", "x32", "city");
        assertThat(rows.value(0, 0)).isEqualTo(1.0);
        assertThat(rows.value(0, 1)).isEqualTo(-2.0);
        assertThat(rows.value(1, 0)).isEqualTo(65504.0);
        assertThat(rows.value(1, 1)).isEqualTo(Math.pow(2, -24));
        assertThat(rows.value(0, 2)).isEqualTo(0.5);
        assertThat(rows.value(1, 2)).isEqualTo(-1.25);
        assertThat(rows.string(0, 3)).isEqualTo("Boston");
        assertThat(rows.string(1, 3)).isEqualTo("Zürich");

        final byte[] framed = new byte[value.length + 6];
        System.arraycopy(value, 0, framed, 6, value.length);
        assertThat(decoder.decodeRequest(framed).rows().string(1, 3)).isEqualTo("Zürich");
    }

    static byte[] fixture(final String name) throws IOException {
        try (InputStream in = V2ProtobufDecoderTest.class.getResourceAsStream("/fixtures/protobuf/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    // Found by ProtobufDecoderFuzzTest: a tensor without elements does not bound its first dimension,
    // which was cast to int as it came: shape [2^31, 2, 0, 3] decoded as -2^31 rows of no columns.

    @Test
    void shouldRejectAnEmptyTensorWhoseRowsPassAnIntInsteadOfDecodingNegativeRows() {
        final ModelInferResponse response = ModelInferResponse.newBuilder().setId("id-71")
            .addOutputs(InferOutputTensor.newBuilder().setName("t0").setDatatype("INT8")
                .addShape(1L << 31).addShape(2).addShape(0).addShape(3))
            .build();
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP32", Long.MAX_VALUE, 0)).build();

        assertThat(reason(() -> decoder.decodeResponse(response.toByteArray()))).isEqualTo("shape-mismatch");
        assertThat(reason(() -> decoder.decodeRequest(request.toByteArray()))).isEqualTo("shape-mismatch");
    }

    @Test
    void shouldRejectAnEmptyTensorDeclaringABillionRowsInsteadOfEmittingThemAsRecords() {
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP32", 1L << 30, 0)).build();

        assertThat(reason(() -> decoder.decodeRequest(request.toByteArray()))).isEqualTo("shape-mismatch");
    }

    @Test
    void shouldStillDecodeAModestEmptyTensor() {
        final ModelInferRequest request = ModelInferRequest.newBuilder()
            .addInputs(input("x", "FP32", 0, 3)).build();

        final RowBatch rows = decoder.decodeRequest(request.toByteArray()).rows();

        assertThat(rows.rows()).isZero();
        assertThat(rows.columns()).isEqualTo(3);
    }
}
