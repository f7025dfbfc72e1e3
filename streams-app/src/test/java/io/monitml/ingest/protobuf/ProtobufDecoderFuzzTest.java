package io.monitml.ingest.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.monitml.fuzz.Fuzz;
import io.monitml.fuzz.ProtoMessages;
import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * The protobuf decoders against at least 10,000 seeded inputs per format (see {@link Fuzz}): random
 * bytes, generated messages with hostile contents, and byte mutations of real and generated
 * messages (overlong varints, length fields past the end, truncations, splices). Each input decodes
 * into well-formed rows or is refused with an {@link InvalidRecordException}; and a message that
 * declares far more than it carries is refused without allocating what it declares.
 */
class ProtobufDecoderFuzzTest {

    private static final int INPUTS = Fuzz.inputs(10_000);
    /** Far below the gigabytes a lying length would ask for, far above what decoding a small message takes. */
    private static final long ALLOCATION_LIMIT = 16L << 20;

    private final SeldonProtobufDecoder seldon = new SeldonProtobufDecoder();
    private final V2ProtobufDecoder v2 = new V2ProtobufDecoder();

    @Test
    void seldonMessagesAreDecodedOrRejected() {
        fuzz("seldon-v1-protobuf", ProtoMessages::seldon, "protobuf/seldon_ndarray_names.bin",
            body -> Fuzz.checkRows(seldon.decode(body).rows()));
    }

    @Test
    void modelInferRequestsAreDecodedOrRejected() {
        fuzz("v2-protobuf-request", ProtoMessages::v2Request, "protobuf/v2_request_raw_fp16_fp32_bytes.bin",
            body -> Fuzz.checkRows(v2.decodeRequest(body).rows()));
    }

    @Test
    void modelInferResponsesAreDecodedOrRejected() {
        fuzz("v2-protobuf-response", ProtoMessages::v2Response, "protobuf/v2_request_raw_fp16_fp32_bytes.bin",
            body -> Fuzz.checkRows(v2.decodeResponse(body).rows()));
    }

    @Test
    void confluentFramedMessagesAreDecodedOrRejected() {
        final Function<Random, byte[]> framed = random -> ProtoMessages.confluent(random,
            random.nextBoolean() ? ProtoMessages.v2Request(random) : ProtoMessages.v2Response(random));
        fuzz("confluent-framed-v2-protobuf", framed, "protobuf/v2_request_raw_fp16_fp32_bytes.bin", body -> {
            if (body.length > 0 && body[body.length - 1] % 2 == 0) {
                Fuzz.checkRows(v2.decodeRequest(body).rows());
            } else {
                Fuzz.checkRows(v2.decodeResponse(body).rows());
            }
        });
    }

    private void fuzz(final String format, final Function<Random, byte[]> generate, final String fixture,
                      final java.util.function.Consumer<byte[]> decode) {
        final List<byte[]> corpus = new ArrayList<>(Fuzz.fixtures(fixture));
        final Random corpusRandom = new Random(Fuzz.seed());
        for (int i = 0; i < 16; i++) {
            corpus.add(generate.apply(corpusRandom));
        }
        final Fuzz.Outcome outcome = Fuzz.runRecords(format, INPUTS,
            Fuzz.blend(generate, corpus, Fuzz::mutateProtobuf), body -> {
                decode.accept(body);
                return body;
            }, body -> { });

        assertThat(outcome.decoded()).as("%s: some inputs decode", outcome).isPositive();
        assertThat(outcome.rejected()).as("%s: several reasons are reached", outcome).hasSizeGreaterThan(3);
    }

    @Test
    void shouldRefuseATwentyByteRequestDeclaringATwoGigabyteRawTensorWithoutAllocatingIt() {
        // inputs { name "x" datatype "FP32" shape [536870912] }, then raw_input_contents with a length of 2^31 - 1.
        final byte[] request = Fuzz.concat(new byte[] {0x2A, 0x10, 0x0A, 0x01, 'x', 0x12, 0x04, 'F', 'P', '3', '2', 0x1A, 0x05,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x02, 0x3A}, Fuzz.varint(Integer.MAX_VALUE));

        assertRefusedWithoutAllocating(request, () -> v2.decodeRequest(request));
    }

    @Test
    void shouldRefuseATwentyByteRequestDeclaringATwoGigabyteShapeWithoutAllocatingIt() {
        // inputs { name "x" datatype "FP32" shape [2147483647, 2147483647] contents { fp32_contents [] } }
        final byte[] request = {0x2A, 0x15, 0x0A, 0x01, 'x', 0x12, 0x04, 'F', 'P', '3', '2', 0x1A, 0x0A,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};

        assertRefusedWithoutAllocating(request, () -> v2.decodeRequest(request));
    }

    @Test
    void shouldRefuseASeldonTensorDeclaringTwoGigabytesOfValuesWithoutAllocatingThem() {
        // data { tensor { shape [1, 268435455] values <packed, length 2^31 - 8> } }
        final byte[] length = Fuzz.varint(Integer.MAX_VALUE - 7);
        final byte[] tensor = Fuzz.concat(new byte[] {0x0A, 0x05, 0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0x12},
            Fuzz.concat(length, new byte[8]));
        final byte[] message = Fuzz.concat(new byte[] {0x1A, (byte) (tensor.length + 2), 0x12, (byte) tensor.length}, tensor);

        assertRefusedWithoutAllocating(message, () -> seldon.decode(message));
    }

    private static void assertRefusedWithoutAllocating(final byte[] input, final org.assertj.core.api.ThrowableAssert.ThrowingCallable decode) {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        final Throwable thrown = catchThrowable(decode);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(input.length).isLessThanOrEqualTo(30);
        assertThat(thrown).isInstanceOf(InvalidRecordException.class);
        assertThat(allocated).as("bytes allocated").isLessThan(ALLOCATION_LIMIT);
    }
}
