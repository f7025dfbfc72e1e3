package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.monitml.avro.InferenceRecord;
import io.monitml.avro.NamedValue;
import io.monitml.avro.PredictionStats;
import io.monitml.proto.v2.InferTensorContents;
import io.monitml.proto.v2.ModelInferRequest;
import io.monitml.proto.v2.ModelInferResponse;

/** Seldon Core v2's native topics and protobuf bodies, through the whole topology. */
class SeldonSourcesTest extends TopologyTestSupport {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String INPUTS = "seldon.prod.model.iris.inputs";
    private static final String OUTPUTS = "seldon.prod.model.iris.outputs";

    private static ModelInferRequest request() {
        return ModelInferRequest.newBuilder()
            .setModelName("iris")
            .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                .setName("predict").setDatatype("FP32").addShape(2).addShape(4)
                .setContents(InferTensorContents.newBuilder()
                    .addAllFp32Contents(List.of(5.1f, 3.5f, 1.4f, 0.2f, 6.2f, 3.4f, 5.4f, 2.3f))))
            .build();
    }

    private static ModelInferResponse response() {
        return ModelInferResponse.newBuilder()
            .setModelName("iris_1").setModelVersion("1")
            .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                .setName("predict").setDatatype("INT64").addShape(2).addShape(1)
                .setContents(InferTensorContents.newBuilder().addInt64Contents(0).addInt64Contents(2)))
            .build();
    }

    private void pipe(final String topic, final byte[] value, final String requestId, final Instant time) {
        final TestInputTopic<byte[], byte[]> input = fixture.driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
        final RecordHeaders headers = new RecordHeaders();
        headers.add("x-request-id", requestId.getBytes(StandardCharsets.UTF_8));
        headers.add("pipeline", "iris".getBytes(StandardCharsets.UTF_8));
        input.pipeInput(new TestRecord<>(requestId.getBytes(StandardCharsets.UTF_8), value, headers, time));
    }

    @Test
    void shouldPairSeldonV2InputsAndOutputsByTheirRequestIdHeader() {
        pipe(INPUTS, request().toByteArray(), "cg5g6ogfh5ss73a44vvg", T0);
        pipe(OUTPUTS, response().toByteArray(), "cg5g6ogfh5ss73a44vvg", T0.plusMillis(7));

        final List<InferenceRecord> rows = fixture.inferences.readValuesToList();

        assertThat(rows).hasSize(2).allSatisfy(row -> {
            assertThat(row.getRequestId()).isEqualTo("cg5g6ogfh5ss73a44vvg");
            assertThat(row.getUnit().getNamespace()).isEqualTo("prod");
            assertThat(row.getUnit().getDeployment()).isEqualTo("iris");
            assertThat(row.getLatencyMillis()).isEqualTo(7.0);
        });
        final InferenceRecord second = rows.stream().filter(r -> r.getRowIndex() == 1).findFirst().orElseThrow();
        assertThat(second.getFeatures()).extracting(NamedValue::getValue).containsExactly(6.2f * 1.0, 3.4f * 1.0, 5.4f * 1.0, 2.3f * 1.0);
        assertThat(second.getPredictions()).containsExactly(new NamedValue("predict", 2.0));
    }

    @Test
    void shouldTakeTheModelVersionOfAV2ResponseAsItsVariant() {
        pipe(OUTPUTS, response().toByteArray(), "r1", T0);
        pipe(OUTPUTS, response().toByteArray(), "r2", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE));
        fixture.flush();

        final PredictionStats stats = fixture.stats.readValue();
        assertThat(stats.getUnit().getVariant()).isEqualTo("1");
        assertThat(stats.getUnit().getModel()).isEqualTo("iris");
        assertThat(stats.getCount()).isEqualTo(2);
        assertThat(stats.getMax()).isEqualTo(2.0);
    }

    @Test
    void shouldDeadLetterProtobufGarbageOnAV2Topic() {
        pipe(INPUTS, new byte[] {0x0a, (byte) 0xff, 0x01, 0x02}, "bad", T0);

        final TestRecord<byte[], byte[]> deadLetter = fixture.deadLetters.readRecord();
        assertThat(new String(deadLetter.headers().lastHeader(DeadLetterHandler.REASON_HEADER).value(), StandardCharsets.UTF_8))
            .isEqualTo("bad-protobuf");
        assertThat(new String(deadLetter.headers().lastHeader(DeadLetterHandler.TOPIC_HEADER).value(), StandardCharsets.UTF_8))
            .isEqualTo(INPUTS);
        assertThat(new String(deadLetter.headers().lastHeader(DeadLetterHandler.STAGE_HEADER).value(), StandardCharsets.UTF_8))
            .isEqualTo("decode");
    }

    @Test
    void shouldDecodeAV2ProtobufBodyLoggedByTheV1ExecutorAsACloudEvent() {
        final RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", "io.seldon.serving.inference.request".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_requestid", "grpc-1".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_inferenceservicename", "iris".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_endpoint", "default".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_protocol", "v2".getBytes(StandardCharsets.UTF_8));
        headers.add("content-type", "application/protobuf".getBytes(StandardCharsets.UTF_8));
        fixture.raw.pipeInput(new TestRecord<>(null, request().toByteArray(), headers, T0));
        fixture.send("io.seldon.serving.inference.response", "default", T0.plusMillis(3),
            "{\"model_name\":\"iris\",\"outputs\":[{\"name\":\"predict\",\"datatype\":\"INT64\",\"shape\":[2,1],\"data\":[0,2]}]}", "grpc-1");

        assertThat(fixture.inferences.readValuesToList()).hasSize(2)
            .allSatisfy(row -> assertThat(row.getFeatures()).hasSize(4));
    }
}
