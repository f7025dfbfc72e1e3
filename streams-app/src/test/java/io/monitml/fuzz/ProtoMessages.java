package io.monitml.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;

import io.monitml.proto.seldon.DefaultData;
import io.monitml.proto.seldon.Meta;
import io.monitml.proto.seldon.SeldonMessage;
import io.monitml.proto.seldon.Status;
import io.monitml.proto.seldon.Tensor;
import io.monitml.proto.v2.InferParameter;
import io.monitml.proto.v2.InferTensorContents;
import io.monitml.proto.v2.ModelInferRequest;
import io.monitml.proto.v2.ModelInferResponse;

/**
 * Structure-aware protobuf messages: Seldon Core v1 SeldonMessages and Open Inference Protocol
 * ModelInferRequest / ModelInferResponse, built with the generated classes so that they parse, with
 * hostile contents: shapes that disagree with the values (negative, huge, overflowing), typed
 * contents of another datatype, raw contents of the wrong width, raw BYTES whose length prefixes
 * point past the end, FP16 infinities and NaNs, infinities among the values, nested and ragged
 * ndarrays; and the Confluent wire prefix with honest or lying message indexes.
 */
public final class ProtoMessages {

    private static final String[] DATATYPES = {
        "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BF16", "BYTES",
        "fp32", "", "STRING", "FP8"};
    private static final double[] DOUBLES = {
        0, -0.0, 1, -1, 0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE, 1e300};
    private static final int[] WIDTHS = {1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 2};
    private static final short[] HALF_SPECIALS = {0x7C00, (short) 0xFC00, 0x7E00, 0x0001, 0x7BFF, (short) 0x8000};

    private final Random random;

    private ProtoMessages(final Random random) {
        this.random = random;
    }

    public static byte[] seldon(final Random random) {
        return new ProtoMessages(random).seldonMessage().toByteArray();
    }

    public static byte[] v2Request(final Random random) {
        return new ProtoMessages(random).request().toByteArray();
    }

    public static byte[] v2Response(final Random random) {
        return new ProtoMessages(random).response().toByteArray();
    }

    /** The Confluent wire prefix (magic 0, schema id, message-index path) in front of {@code payload}. */
    public static byte[] confluent(final Random random, final byte[] payload) {
        final ByteBuffer header = ByteBuffer.allocate(5).put((byte) 0).putInt(random.nextInt());
        final byte[] path;
        switch (random.nextInt(6)) {
            case 0, 1 -> path = new byte[] {0};
            case 2 -> path = Fuzz.concat(zigZag(1), zigZag(random.nextInt(4)));
            case 3 -> {
                // A count that promises more indexes than follow, or a negative one.
                final int count = random.nextBoolean() ? -1 - random.nextInt(5) : 2 + random.nextInt(100);
                path = Fuzz.concat(zigZag(count), random.nextBoolean() ? zigZag(1) : new byte[0]);
            }
            case 4 -> path = new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x0F};
            default -> path = Fuzz.randomBytes(random, 6);
        }
        return Fuzz.concat(Fuzz.concat(header.array(), path), payload);
    }

    private static byte[] zigZag(final int value) {
        return Fuzz.varint(Integer.toUnsignedLong((value << 1) ^ (value >> 31)));
    }

    private SeldonMessage seldonMessage() {
        final SeldonMessage.Builder message = SeldonMessage.newBuilder();
        switch (random.nextInt(10)) {
            case 0 -> message.setJsonData(random.nextBoolean() ? value(3) : structRows());
            case 1 -> message.setBinData(ByteString.copyFrom(Fuzz.randomBytes(random, 16)));
            case 2 -> message.setStrData("text");
            case 3 -> message.setCustomData(Any.newBuilder().setTypeUrl("type.googleapis.com/x").build());
            case 4 -> {
                // No data, or data whose only content is the unknown tftensor field.
                if (random.nextBoolean()) {
                    message.setData(DefaultData.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(4, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("t")).build())
                        .build()));
                }
            }
            default -> message.setData(defaultData());
        }
        if (random.nextInt(3) == 0) {
            message.setStatus(Status.newBuilder().setCode(random.nextBoolean() ? 500 : random.nextInt())
                .setInfo(random.nextBoolean() ? "" : "boom").setStatusValue(random.nextInt(3)));
        }
        if (random.nextInt(3) == 0) {
            message.setMeta(Meta.newBuilder().setPuid("p" + random.nextInt(100)).putTags("t", value(2)));
        }
        return message.build();
    }

    private DefaultData defaultData() {
        final DefaultData.Builder data = DefaultData.newBuilder();
        final int columns = random.nextInt(10) == 0 ? random.nextInt(200) : 1 + random.nextInt(5);
        if (random.nextInt(3) != 0) {
            final int names = random.nextInt(6) == 0 ? random.nextInt(8) : columns;
            for (int i = 0; i < names; i++) {
                data.addNames("c" + i);
            }
        }
        if (random.nextInt(3) == 0) {
            final Tensor.Builder tensor = Tensor.newBuilder();
            long cells = 1;
            final int rank = random.nextInt(8) == 0 ? random.nextInt(5) : 1 + random.nextInt(2);
            for (int i = 0; i < rank; i++) {
                final int dimension = switch (random.nextInt(20)) {
                    case 0 -> -1;
                    case 1 -> Integer.MAX_VALUE;
                    case 2 -> 0;
                    case 3 -> 1 << 30;
                    case 4 -> 65_536;
                    default -> i == rank - 1 ? columns : 1 + random.nextInt(4);
                };
                tensor.addShape(dimension);
                cells = dimension <= 0 ? 0 : Math.min(cells * dimension, 10_000);
            }
            final long count = random.nextInt(6) == 0 ? random.nextInt(10) : cells + (random.nextInt(10) == 0 ? 1 : 0);
            for (long i = 0; i < count; i++) {
                tensor.addValues(random.nextInt(30) == 0 ? DOUBLES[random.nextInt(DOUBLES.length)] : random.nextGaussian());
            }
            data.setTensor(tensor);
        } else {
            data.setNdarray(rows(columns));
        }
        return data.build();
    }

    private ListValue rows(final int columns) {
        final ListValue.Builder ndarray = ListValue.newBuilder();
        final int rows = random.nextInt(20) == 0 ? random.nextInt(1_000) : random.nextInt(5);
        final boolean flat = random.nextInt(5) == 0;
        for (int r = 0; r < rows; r++) {
            if (flat || random.nextInt(50) == 0) {
                ndarray.addValues(cell());
                continue;
            }
            final ListValue.Builder row = ListValue.newBuilder();
            final int width = random.nextInt(30) == 0 ? columns + 1 : columns;
            for (int c = 0; c < width; c++) {
                row.addValues(random.nextInt(40) == 0 ? value(2) : cell());
            }
            ndarray.addValues(Value.newBuilder().setListValue(row));
        }
        return ndarray.build();
    }

    private Value structRows() {
        final ListValue.Builder list = ListValue.newBuilder();
        final int rows = random.nextInt(6);
        for (int r = 0; r < rows; r++) {
            final Struct.Builder row = Struct.newBuilder();
            final int keys = random.nextInt(6);
            for (int k = 0; k < keys; k++) {
                row.putFields(random.nextInt(8) == 0 ? "k" + random.nextInt(1_000) : "f" + k, random.nextInt(20) == 0 ? value(2) : cell());
            }
            list.addValues(random.nextInt(15) == 0 ? cell() : Value.newBuilder().setStructValue(row).build());
        }
        return Value.newBuilder().setListValue(list).build();
    }

    private Value cell() {
        return switch (random.nextInt(8)) {
            case 0 -> Value.newBuilder().setStringValue(random.nextBoolean() ? "a" : "\u00e9\ud83d\ude00").build();
            case 1 -> Value.newBuilder().setBoolValue(random.nextBoolean()).build();
            case 2 -> Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
            case 3 -> Value.newBuilder().setNumberValue(DOUBLES[random.nextInt(DOUBLES.length)]).build();
            case 4 -> Value.getDefaultInstance();
            default -> Value.newBuilder().setNumberValue(random.nextGaussian()).build();
        };
    }

    private Value value(final int depth) {
        if (depth <= 0 || random.nextBoolean()) {
            return cell();
        }
        if (random.nextBoolean()) {
            final ListValue.Builder list = ListValue.newBuilder();
            for (int i = random.nextInt(4); i > 0; i--) {
                list.addValues(value(depth - 1));
            }
            return Value.newBuilder().setListValue(list).build();
        }
        final Struct.Builder struct = Struct.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            struct.putFields("k" + i, value(depth - 1));
        }
        return Value.newBuilder().setStructValue(struct).build();
    }

    /** One tensor's fields, whichever message it goes into. */
    private record TensorSpec(String name, String datatype, List<Long> shape, InferTensorContents contents, ByteString raw) {
    }

    private ModelInferRequest request() {
        final ModelInferRequest.Builder request = ModelInferRequest.newBuilder();
        header(request::setModelName, request::setModelVersion, request::setId);
        if (random.nextInt(4) == 0) {
            request.putParameters("content_type", parameter());
        }
        final boolean raw = random.nextBoolean();
        for (TensorSpec spec : tensors(raw)) {
            final ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                .setName(spec.name()).setDatatype(spec.datatype()).addAllShape(spec.shape());
            if (spec.contents() != null) {
                input.setContents(spec.contents());
            }
            if (random.nextInt(5) == 0) {
                input.putParameters("content_type", parameter());
            }
            request.addInputs(input);
            if (spec.raw() != null) {
                request.addRawInputContents(spec.raw());
            }
        }
        if (raw && random.nextInt(10) == 0) {
            request.addRawInputContents(ByteString.copyFrom(Fuzz.randomBytes(random, 8)));
        }
        return request.build();
    }

    private ModelInferResponse response() {
        final ModelInferResponse.Builder response = ModelInferResponse.newBuilder();
        header(response::setModelName, response::setModelVersion, response::setId);
        final boolean raw = random.nextBoolean();
        for (TensorSpec spec : tensors(raw)) {
            final ModelInferResponse.InferOutputTensor.Builder output = ModelInferResponse.InferOutputTensor.newBuilder()
                .setName(spec.name()).setDatatype(spec.datatype()).addAllShape(spec.shape());
            if (spec.contents() != null) {
                output.setContents(spec.contents());
            }
            response.addOutputs(output);
            if (spec.raw() != null) {
                response.addRawOutputContents(spec.raw());
            }
        }
        return response.build();
    }

    private void header(final java.util.function.Consumer<String> name, final java.util.function.Consumer<String> version,
                        final java.util.function.Consumer<String> id) {
        if (random.nextBoolean()) {
            name.accept("model");
        }
        if (random.nextBoolean()) {
            version.accept(random.nextBoolean() ? "v1" : "\u00e9\ud83d\ude00");
        }
        if (random.nextBoolean()) {
            id.accept("id-" + random.nextInt(100));
        }
    }

    private InferParameter parameter() {
        return switch (random.nextInt(3)) {
            case 0 -> InferParameter.newBuilder().setStringParam(random.nextBoolean() ? "pd" : "np").build();
            case 1 -> InferParameter.newBuilder().setInt64Param(random.nextLong()).build();
            default -> InferParameter.newBuilder().setBoolParam(true).build();
        };
    }

    private List<TensorSpec> tensors(final boolean raw) {
        final int count = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(4);
        final long rows = random.nextInt(10) == 0 ? random.nextInt(500) : 1 + random.nextInt(4);
        final List<TensorSpec> tensors = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            final int type = random.nextInt(10) == 0 ? random.nextInt(DATATYPES.length) : random.nextInt(14);
            final List<Long> shape = shape(rows);
            long elements = 1;
            for (long dimension : shape) {
                elements = dimension <= 0 ? 0 : dimension > 10_000 || elements * dimension > 10_000 ? 10_001 : elements * dimension;
            }
            // Mostly as many elements as the shape needs; now and then a few, or one too many.
            final int count2 = (int) (elements > 10_000 || random.nextInt(8) == 0 ? random.nextInt(6)
                : elements + (random.nextInt(12) == 0 ? 1 : 0));
            final String name = random.nextInt(10) == 0 ? "" : "t" + t;
            if (raw) {
                tensors.add(new TensorSpec(name, DATATYPES[type], shape, null, rawContents(type, count2)));
            } else {
                tensors.add(new TensorSpec(name, DATATYPES[type], shape, typedContents(random.nextInt(8) == 0 ? random.nextInt(14) : type, count2), null));
            }
        }
        return tensors;
    }

    private List<Long> shape(final long rows) {
        final List<Long> shape = new ArrayList<>();
        final int rank = random.nextInt(8) == 0 ? random.nextInt(5) : 1 + random.nextInt(2);
        for (int i = 0; i < rank; i++) {
            shape.add(switch (random.nextInt(25)) {
                case 0 -> -1L;
                case 1 -> 0L;
                case 2 -> 1L << 31;
                case 3 -> 1L << 32;
                case 4 -> Long.MAX_VALUE;
                case 5 -> 1L << 33;
                case 6 -> (long) Integer.MAX_VALUE;
                case 7 -> 1L << 22;
                default -> i == 0 ? rows : 1L + random.nextInt(4);
            });
        }
        return shape;
    }

    private InferTensorContents typedContents(final int type, final int count) {
        final InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 0; i < count; i++) {
            switch (DATATYPES[type]) {
                case "BOOL" -> contents.addBoolContents(random.nextBoolean());
                case "INT8", "INT16", "INT32" -> contents.addIntContents(random.nextInt());
                case "INT64" -> contents.addInt64Contents(random.nextLong());
                case "UINT8", "UINT16", "UINT32" -> contents.addUintContents(random.nextInt());
                case "UINT64" -> contents.addUint64Contents(random.nextLong());
                case "FP32" -> contents.addFp32Contents(random.nextInt(20) == 0 ? (float) DOUBLES[random.nextInt(DOUBLES.length)] : random.nextFloat());
                case "BYTES" -> contents.addBytesContents(ByteString.copyFrom(Fuzz.randomBytes(random, 6)));
                default -> contents.addFp64Contents(random.nextInt(20) == 0 ? DOUBLES[random.nextInt(DOUBLES.length)] : random.nextGaussian());
            }
        }
        return contents.build();
    }

    private ByteString rawContents(final int type, final int count) {
        if (type >= 13) {
            // BYTES: a 4-byte little-endian length and the bytes, per element; a length may lie.
            final ByteString.Output out = ByteString.newOutput();
            for (int i = 0; i < count; i++) {
                final byte[] element = Fuzz.randomBytes(random, 5);
                final int declared = random.nextInt(25) == 0
                    ? new int[] {-1, Integer.MAX_VALUE, element.length + 1, 1 << 30}[random.nextInt(4)] : element.length;
                out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(declared).array(), 0, 4);
                out.write(element, 0, element.length);
            }
            if (random.nextInt(20) == 0) {
                out.write(1);
            }
            return out.toByteString();
        }
        final int width = WIDTHS[type];
        final int bytes = random.nextInt(12) == 0 ? count * width + 1 + random.nextInt(width) : count * width;
        final byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        if (width == 2 && random.nextInt(3) == 0 && bytes >= 2) {
            // FP16 infinities, NaN, subnormals and extremes.
            final short special = HALF_SPECIALS[random.nextInt(HALF_SPECIALS.length)];
            raw[0] = (byte) special;
            raw[1] = (byte) (special >> 8);
        }
        return ByteString.copyFrom(raw);
    }
}
