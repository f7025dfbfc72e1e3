package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.monitml.fuzz.Fuzz;
import io.monitml.fuzz.JsonBodies;
import io.monitml.fuzz.ProtoMessages;

/**
 * Random payloads, generated ones (JSON of every protocol, Seldon and v2 protobuf) and mutations of
 * real and generated ones (seeded, see {@link Fuzz}), to each input of the topology with
 * random headers: nothing escapes the topology as an exception, and every record is accounted for:
 * the dead-letter topic names each record it holds by its input position, once, and every other
 * record was decoded.
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
    /**
     * Per input kind: the raw CloudEvents topic, the v1 direct logger topic, the v2 inputs and outputs
     * topics. 10,000 each (40,000 records) take 8 to 10 s on two cores, 23 s with a load average of 8
     * on them; the whole fuzz suite then stays near a minute of test time on such a machine.
     */
    private static final int PER_INPUT = Fuzz.inputs(10_000);

    @Test
    void shouldAccountForEveryRandomOrMutatedRecordWithoutAnExceptionEscaping() {
        final long seed = Fuzz.seed();
        final List<byte[]> fixtures = Fuzz.fixtures(FIXTURES);
        final TestInputTopic<byte[], byte[]> v2Inputs = fixture.driver.createInputTopic("seldon.ns.model.m.inputs",
            new ByteArraySerializer(), new ByteArraySerializer());
        final TestInputTopic<byte[], byte[]> v2Outputs = fixture.driver.createInputTopic("seldon.ns.model.m.outputs",
            new ByteArraySerializer(), new ByteArraySerializer());
        final List<TestInputTopic<byte[], byte[]>> inputs = List.of(fixture.raw, fixture.v1Logger, v2Inputs, v2Outputs);
        final int records = PER_INPUT * inputs.size();
        final long start = System.nanoTime();
        Instant time = Instant.parse("2026-11-26T10:00:00Z");
        for (int i = 0; i < records; i++) {
            final Random random = Fuzz.random(seed, i);
            time = time.plusMillis(random.nextInt(50));
            final byte[] body = body(random, fixtures);
            final TestRecord<byte[], byte[]> record = new TestRecord<>(random.nextInt(4) == 0 ? null : Fuzz.utf8("k" + random.nextInt(500)),
                body, headers(random, "r" + random.nextInt(500)), time);
            final TestInputTopic<byte[], byte[]> input = inputs.get(i % inputs.size());
            final String where = Fuzz.replay("topology", seed, i, body);
            assertThatCode(() -> input.pipeInput(record)).as(where).doesNotThrowAnyException();
        }
        fixture.flush();
        System.out.println("fuzz topology: " + records + " records in " + (System.nanoTime() - start) / 1_000_000 + " ms, "
            + fixture.listener.decoded.size() + " decoded, " + fixture.listener.deadLetterReasons.size() + " dead-lettered");

        final TopologyFixture.RecordingListener counts = fixture.listener;
        final List<String> inputTopics = List.of(TopologyFixture.TOPICS.raw(), TopologyFixture.V1_TOPIC, "seldon.ns.model.m.inputs",
            "seldon.ns.model.m.outputs");
        assertThat(counts.recordsIn).hasSize(records);
        for (String topic : inputTopics) {
            assertThat(counts.recordsIn).as(topic).filteredOn(topic::equals).hasSize(PER_INPUT);
        }
        // What the dead-letter topic holds, read as a consumer would: each dead letter of the decode stage names the input
        // record it stands for, and no input record is named twice; every other input record was decoded.
        final List<TestRecord<byte[], byte[]>> deadLetters = fixture.deadLetters.readRecordsToList();
        final List<String> positions = deadLetters.stream()
            .filter(letter -> header(letter, DeadLetterHandler.STAGE_HEADER).equals(DeadLetterHandler.STAGE_DECODE))
            .map(letter -> header(letter, DeadLetterHandler.TOPIC_HEADER) + "@" + header(letter, DeadLetterHandler.OFFSET_HEADER))
            .toList();
        assertThat(positions).as("input records dead-lettered at decoding").doesNotHaveDuplicates().isNotEmpty()
            .allSatisfy(position -> {
                assertThat(inputTopics).contains(position.substring(0, position.lastIndexOf('@')));
                // TopologyTestDriver numbers the two pattern-subscribed v2 topics' records in one sequence.
                assertThat(Long.parseLong(position.substring(position.lastIndexOf('@') + 1))).isBetween(0L, records - 1L);
            });
        assertThat(counts.decoded).as("input records decoded: all but those on the dead-letter topic").hasSize(records - positions.size());
        assertThat(counts.decoded).as("some survive their mutations").isNotEmpty();
        assertThat(counts.deadLetterReasons).as("some do not").isNotEmpty().doesNotContain(DeadLetterHandler.INTERNAL_ERROR);
        assertThat(deadLetters).hasSize(counts.deadLetterReasons.size());
        assertThat(deadLetters).allSatisfy(letter -> {
            assertThat(letter.headers().lastHeader(DeadLetterHandler.REASON_HEADER)).isNotNull();
            assertThat(new String(letter.headers().lastHeader(DeadLetterHandler.REASON_HEADER).value(), StandardCharsets.UTF_8))
                .matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(letter.headers().lastHeader(DeadLetterHandler.MESSAGE_HEADER).value()).isNotEmpty();
        });
    }

    private static String header(final TestRecord<byte[], byte[]> record, final String name) {
        assertThat(record.headers().lastHeader(name)).as("the dead letter's %s header", name).isNotNull();
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A tenth random bytes; else a real or generated payload of any format, mutated four times out of five. */
    private static byte[] body(final Random random, final List<byte[]> fixtures) {
        final int pick = random.nextInt(10);
        if (pick == 0) {
            return Fuzz.randomBytes(random, 64);
        }
        final byte[] valid = switch (pick) {
            case 1 -> JsonBodies.seldon(random);
            case 2 -> JsonBodies.openInference(random);
            case 3 -> ProtoMessages.v2Request(random);
            case 4 -> ProtoMessages.v2Response(random);
            case 5 -> ProtoMessages.seldon(random);
            default -> fixtures.get(random.nextInt(fixtures.size()));
        };
        if (random.nextInt(5) == 0) {
            return valid;
        }
        return valid.length > 0 && (valid[0] == '{' || valid[0] == '[')
            ? Fuzz.mutateJson(random, valid, fixtures) : Fuzz.mutateProtobuf(random, valid, fixtures);
    }

    private static RecordHeaders headers(final Random random, final String requestId) {
        final RecordHeaders headers = new RecordHeaders();
        final String prefix = random.nextBoolean() ? "ce_" : "";
        if (random.nextInt(20) != 0) {
            headers.add(prefix + "type", Fuzz.utf8(TYPES[random.nextInt(TYPES.length)]));
        }
        if (random.nextInt(20) != 0) {
            headers.add(prefix + "requestid", Fuzz.utf8(requestId));
        }
        if (random.nextInt(20) != 0) {
            headers.add(prefix + "inferenceservicename", Fuzz.utf8("dep-" + random.nextInt(3)));
        }
        headers.add(prefix + "endpoint", Fuzz.utf8("v" + random.nextInt(2)));
        headers.add(prefix + "protocol", Fuzz.utf8(PROTOCOLS[random.nextInt(PROTOCOLS.length)]));
        headers.add("content-type", Fuzz.utf8(CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]));
        headers.add("x-request-id", Fuzz.utf8(requestId));
        if (random.nextInt(10) == 0) {
            headers.add(prefix + "time", Fuzz.utf8(random.nextBoolean() ? "not a time" : "2026-11-26T10:00:00+01:00"));
        }
        return headers;
    }
}
