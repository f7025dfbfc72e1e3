package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Random payloads and random mutations of real ones (seeded, so a failure replays), sent with
 * random headers to every input of the topology: nothing escapes the topology as an exception,
 * and every record is accounted for as decoded or dead-lettered.
 */
class AccountingFuzzTest extends TopologyTestSupport {

    private static final String[] FIXTURES = {
        "payloads/seldon-docs-request.json", "payloads/seldon-docs-response.json", "payloads/seldon-tensor-response.json",
        "payloads/seldon-jsondata-rows.json", "payloads/tf-instances-dicts.json", "payloads/tf-predictions-lists.json",
        "payloads/v2-request-fp32.json", "payloads/v2-request-pandas.json", "payloads/v2-response-int32.json",
        "protobuf/seldon_ndarray_names.bin", "protobuf/v2_request_raw_fp16_fp32_bytes.bin"};
    private static final String[] TYPES = {"io.seldon.serving.inference.request", "io.seldon.serving.inference.response",
        "org.kubeflow.serving.inference.request", "io.seldon.serving.feedback", "", "io.seldon.serving.inference."};
    private static final String[] CONTENT_TYPES = {"application/json", "application/protobuf", "text/plain", "application/json; charset=utf-8"};
    private static final String[] PROTOCOLS = {"seldon", "v2", "tensorflow", "kfserving"};
    private static final int RECORDS = 3_000;

    private static List<byte[]> fixtures() throws IOException {
        final List<byte[]> bodies = new ArrayList<>();
        for (String fixture : FIXTURES) {
            try (InputStream in = AccountingFuzzTest.class.getResourceAsStream("/fixtures/" + fixture)) {
                bodies.add(in.readAllBytes());
            }
        }
        return bodies;
    }

    @Test
    void shouldAccountForEveryRandomOrMutatedRecordWithoutAnExceptionEscaping() throws IOException {
        final Random random = new Random(20261126L);
        final List<byte[]> fixtures = fixtures();
        final TestInputTopic<byte[], byte[]> v2Inputs = fixture.driver.createInputTopic("seldon.ns.model.m.inputs",
            new ByteArraySerializer(), new ByteArraySerializer());
        final TestInputTopic<byte[], byte[]> v2Outputs = fixture.driver.createInputTopic("seldon.ns.model.m.outputs",
            new ByteArraySerializer(), new ByteArraySerializer());
        final List<TestInputTopic<byte[], byte[]>> inputs = List.of(fixture.raw, fixture.v1Logger, v2Inputs, v2Outputs);
        Instant time = Instant.parse("2026-11-26T10:00:00Z");
        for (int i = 0; i < RECORDS; i++) {
            time = time.plusMillis(random.nextInt(50));
            final byte[] body = random.nextInt(10) == 0 ? randomBytes(random) : mutate(random, fixtures.get(random.nextInt(fixtures.size())));
            final TestRecord<byte[], byte[]> record = new TestRecord<>(null, body, headers(random, "r" + random.nextInt(500)), time);
            final TestInputTopic<byte[], byte[]> input = inputs.get(random.nextInt(inputs.size()));
            assertThatCode(() -> input.pipeInput(record)).as("record %d", i).doesNotThrowAnyException();
        }
        fixture.flush();

        final TopologyFixture.RecordingListener counts = fixture.listener;
        assertThat(counts.recordsIn).hasSize(RECORDS);
        assertThat(counts.decoded.size() + counts.deadLetterReasons.size()).isEqualTo(RECORDS);
        assertThat(counts.decoded).as("some survive their mutations").isNotEmpty();
        assertThat(counts.deadLetterReasons).as("some do not").isNotEmpty().doesNotContain(DeadLetterHandler.INTERNAL_ERROR);
        assertThat(fixture.deadLetters.getQueueSize()).isEqualTo(counts.deadLetterReasons.size());
    }

    private static RecordHeaders headers(final Random random, final String requestId) {
        final RecordHeaders headers = new RecordHeaders();
        final String prefix = random.nextBoolean() ? "ce_" : "";
        if (random.nextInt(20) != 0) {
            headers.add(prefix + "type", utf8(TYPES[random.nextInt(TYPES.length)]));
        }
        if (random.nextInt(20) != 0) {
            headers.add(prefix + "requestid", utf8(requestId));
        }
        if (random.nextInt(20) != 0) {
            headers.add(prefix + "inferenceservicename", utf8("dep-" + random.nextInt(3)));
        }
        headers.add(prefix + "endpoint", utf8("v" + random.nextInt(2)));
        headers.add(prefix + "protocol", utf8(PROTOCOLS[random.nextInt(PROTOCOLS.length)]));
        headers.add("content-type", utf8(CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]));
        headers.add("x-request-id", utf8(requestId));
        if (random.nextInt(10) == 0) {
            headers.add(prefix + "time", utf8(random.nextBoolean() ? "not a time" : "2026-11-26T10:00:00+01:00"));
        }
        return headers;
    }

    private static byte[] randomBytes(final Random random) {
        final byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Truncates, flips a bit, inserts garbage or JSON fragments, or leaves the payload valid. */
    private static byte[] mutate(final Random random, final byte[] valid) {
        final byte[] body = valid.clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                return java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
            }
            case 1 -> {
                final int at = random.nextInt(body.length);
                body[at] ^= (byte) (1 << random.nextInt(8));
                return body;
            }
            case 2 -> {
                final String[] fragments = {"NaN", "1e999", "[", "]", "\"shape\":[", "{", "null", "\"\\u0000\"", "-"};
                final byte[] fragment = utf8(fragments[random.nextInt(fragments.length)]);
                final int at = random.nextInt(body.length + 1);
                final byte[] spliced = new byte[body.length + fragment.length];
                System.arraycopy(body, 0, spliced, 0, at);
                System.arraycopy(fragment, 0, spliced, at, fragment.length);
                System.arraycopy(body, at, spliced, at + fragment.length, body.length - at);
                return spliced;
            }
            case 3 -> {
                final int at = random.nextInt(body.length);
                body[at] = (byte) random.nextInt(256);
                return body;
            }
            default -> {
                return body;
            }
        }
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
