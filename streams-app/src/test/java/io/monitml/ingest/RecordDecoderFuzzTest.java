package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.monitml.config.Defaults;
import io.monitml.fuzz.CloudEvents;
import io.monitml.fuzz.Fuzz;
import io.monitml.fuzz.JsonBodies;
import io.monitml.fuzz.ProtoMessages;
import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * The whole record decoder, headers and topic included, against at least 10,000 seeded records
 * per kind (see {@link Fuzz}): Seldon logger records (ce_ / ce- / bare header spellings, with
 * attributes missing, blank, non-UTF-8, or times past what a millisecond timestamp holds; JSON
 * and protobuf bodies under every content type and protocol) and Seldon Core v2 topic records
 * (request id from header, message id or key). Each record decodes into an event whose rows pass
 * {@link Fuzz#checkRows} or is refused with an {@link InvalidRecordException}.
 *
 * <p>An input is the record serialised as one byte array, so that the replay shows all of it:
 * the topic, a line per header {@code name=value}, an empty line, the value; a mutation may hit
 * any part of it.
 */
class RecordDecoderFuzzTest {

    private static final int INPUTS = Fuzz.inputs(10_000);
    private static final String[] TIMES = {
        "2026-11-26T10:00:00Z", "2026-11-26T10:00:00+01:00", "not a time", "", "+1000000000-12-31T23:59:59Z",
        "-1000000000-01-01T00:00:00Z", "+999999999-12-31T23:59:59+18:00", "1969-12-31T23:59:59Z", "2026-02-30T00:00:00Z"};
    private static final String[] CONTENT_TYPES = {
        "application/json", "application/protobuf", "application/x-protobuf", "application/grpc+proto", "text/plain", "",
        "application/json; charset=utf-8", ";", "APPLICATION/PROTOBUF", "application/cloudevents+json"};
    private static final String[] PROTOCOLS = {"seldon", "v2", "kfserving", "kserve", "tensorflow", "", "V2"};

    private final RecordDecoder decoder = new RecordDecoder(Defaults.limits());

    @Test
    void loggerRecordsAreDecodedOrRejected() {
        fuzz("seldon-logger-record", random -> loggerRecord(random), List.of(
            record("monitml.raw", loggerHeaders("io.seldon.serving.inference.request", "application/json", "seldon"),
                Fuzz.resource("/fixtures/payloads/seldon-docs-request.json")),
            record("monitml.raw", loggerHeaders("io.seldon.serving.inference.response", "application/json", "v2"),
                Fuzz.resource("/fixtures/payloads/v2-response-int32.json")),
            record("monitml.raw", loggerHeaders("io.seldon.serving.inference.request", "application/protobuf", "seldon"),
                Fuzz.resource("/fixtures/protobuf/seldon_ndarray_names.bin")),
            record("monitml.raw", loggerHeaders("io.seldon.serving.inference.request", "application/protobuf", "v2"),
                Fuzz.resource("/fixtures/protobuf/v2_request_raw_fp16_fp32_bytes.bin"))));
    }

    @Test
    void seldonV2TopicRecordsAreDecodedOrRejected() {
        final byte[] fixture = Fuzz.resource("/fixtures/protobuf/v2_request_raw_fp16_fp32_bytes.bin");
        fuzz("seldon-v2-topic-record", random -> v2Record(random), List.of(
            record("seldon.ns.model.m.inputs", List.of("x-request-id", "r1"), fixture),
            record("seldon.ns.pipeline.p.outputs", List.of(), fixture)));
    }

    private void fuzz(final String format, final java.util.function.Function<Random, byte[]> generate, final List<byte[]> real) {
        final List<byte[]> corpus = new ArrayList<>(real);
        final Random corpusRandom = new Random(Fuzz.seed());
        for (int i = 0; i < 16; i++) {
            corpus.add(generate.apply(corpusRandom));
        }
        final Fuzz.Outcome outcome = Fuzz.runRecords(format, INPUTS, Fuzz.blend(generate, corpus, RecordDecoderFuzzTest::mutate), this::decode,
            event -> Fuzz.checkRows(event.rows()));

        assertThat(outcome.decoded()).as("%s: some records decode", outcome).isPositive();
        assertThat(outcome.rejected()).as("%s: several reasons are reached", outcome).hasSizeGreaterThan(3);
    }

    /** Mostly mutates the value alone, so that the body reaches its decoder; now and then the topic and headers too. */
    private static byte[] mutate(final Random random, final byte[] record, final List<byte[]> corpus) {
        final int end = indexOfBlankLine(record);
        if (end < 0 || random.nextInt(4) == 0) {
            return Fuzz.mutate(random, record, corpus);
        }
        final byte[] value = Arrays.copyOfRange(record, end + 2, record.length);
        final byte[] mutated = random.nextBoolean() ? Fuzz.mutateProtobuf(random, value, corpus) : Fuzz.mutateJson(random, value, corpus);
        return Fuzz.concat(Arrays.copyOf(record, end + 2), mutated);
    }

    private InferenceEvent decode(final byte[] input) {
        final int end = indexOfBlankLine(input);
        final String head = new String(input, 0, end < 0 ? input.length : end, StandardCharsets.UTF_8);
        final byte[] value = end < 0 ? new byte[0] : Arrays.copyOfRange(input, end + 2, input.length);
        final String[] lines = head.split("\n", -1);
        final RecordHeaders headers = new RecordHeaders();
        byte[] key = null;
        for (int i = 1; i < lines.length; i++) {
            final String[] header = lines[i].split("=", 2);
            if (header[0].equals("@key")) {
                key = header.length > 1 ? header[1].getBytes(StandardCharsets.UTF_8) : null;
            } else {
                headers.add(header[0], header.length > 1 ? header[1].getBytes(StandardCharsets.UTF_8) : null);
            }
        }
        return decoder.decode(lines[0], headers, key, value, 1_795_000_000_000L);
    }

    private static int indexOfBlankLine(final byte[] input) {
        for (int i = 0; i + 1 < input.length; i++) {
            if (input[i] == '\n' && input[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] record(final String topic, final List<String> headers, final byte[] value) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Fuzz.utf8(topic + "\n"));
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            out.writeBytes(Fuzz.utf8(headers.get(i).replace("\n", " ").replace("=", "_") + "=" + headers.get(i + 1).replace("\n", " ") + "\n"));
        }
        out.writeBytes(Fuzz.utf8("\n"));
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static List<String> loggerHeaders(final String type, final String contentType, final String protocol) {
        return List.of("ce_type", type, "ce_requestid", "r1", "ce_inferenceservicename", "dep", "ce_time", TIMES[0],
            "content-type", contentType, "ce_protocol", protocol);
    }

    private static byte[] loggerRecord(final Random random) {
        final String prefix = new String[] {"ce_", "ce-", "", "CE_", "Ce-"}[random.nextInt(5)];
        final List<String> headers = new ArrayList<>();
        final String[][] attributes = {
            {"type", random.nextInt(4) == 0 ? CloudEvents.TYPES[random.nextInt(CloudEvents.TYPES.length)]
                : random.nextBoolean() ? "io.seldon.serving.inference.request" : "io.seldon.serving.inference.response"},
            {"requestid", random.nextInt(15) == 0 ? "" : "r" + random.nextInt(100)},
            {"inferenceservicename", random.nextInt(15) == 0 ? " " : "dep-" + random.nextInt(3)},
            {"namespace", "seldon"}, {"endpoint", "v" + random.nextInt(2)}, {"modelid", random.nextBoolean() ? "classifier" : ""},
            {"time", TIMES[random.nextInt(4) == 0 ? random.nextInt(TIMES.length) : 0]}, {"protocol", PROTOCOLS[random.nextInt(PROTOCOLS.length)]}};
        for (String[] attribute : attributes) {
            if (random.nextInt(12) != 0) {
                headers.add(prefix + attribute[0]);
                headers.add(attribute[1]);
            }
        }
        final boolean protobuf = random.nextInt(3) == 0;
        headers.add(random.nextBoolean() ? "content-type" : prefix + "datacontenttype");
        headers.add(random.nextInt(5) == 0 ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]
            : protobuf ? "application/protobuf" : "application/json");
        final byte[] body = protobuf
            ? switch (random.nextInt(3)) {
                case 0 -> ProtoMessages.seldon(random);
                case 1 -> ProtoMessages.v2Request(random);
                default -> ProtoMessages.v2Response(random);
            }
            : switch (random.nextInt(3)) {
                case 0 -> JsonBodies.seldon(random);
                case 1 -> JsonBodies.tensorflow(random);
                default -> JsonBodies.openInference(random);
            };
        return record("monitml.raw", headers, body);
    }

    private static byte[] v2Record(final Random random) {
        final boolean outputs = random.nextBoolean();
        final String topic = "seldon." + (random.nextInt(10) == 0 ? "" : "ns") + "." + (random.nextBoolean() ? "model" : "pipeline")
            + ".m" + random.nextInt(3) + (outputs ? ".outputs" : ".inputs");
        final List<String> headers = new ArrayList<>();
        if (random.nextBoolean()) {
            headers.add("x-request-id");
            headers.add(random.nextInt(10) == 0 ? "" : "r" + random.nextInt(100));
        }
        if (random.nextBoolean()) {
            headers.add("@key");
            headers.add(random.nextInt(10) == 0 ? "" : random.nextBoolean() ? "m.r" + random.nextInt(100) : "trailing.");
        }
        final byte[] message = outputs ? ProtoMessages.v2Response(random) : ProtoMessages.v2Request(random);
        return record(topic, headers, random.nextInt(4) == 0 ? ProtoMessages.confluent(random, message) : message);
    }
}
