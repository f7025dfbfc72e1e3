package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.avro.InferenceRecord;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.TopologySettings;
import io.monitml.demo.KafkaCloudEventSink;
import io.monitml.demo.SeldonEvent;
import io.monitml.metrics.Scrape;
import io.monitml.proto.v2.InferTensorContents;
import io.monitml.proto.v2.ModelInferRequest;
import io.monitml.proto.v2.ModelInferResponse;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.DeadLetterHandler;
import io.monitml.topology.PipelineListener;

/**
 * Every Seldon source against the real broker: the executor's HTTP logger (binary, structured and
 * batch CloudEvents), CloudEvents already in Kafka, the v1 executor's direct Kafka logger and
 * Seldon Core v2's protobuf topics. Their requests and responses come out paired, row by row, on
 * the inferences topic; malformed inputs end in a 4xx or the dead-letter topic; and every input
 * record is accounted for as decoded or dead-lettered.
 */
class SeldonIngestIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String V1_TOPIC = "seldon";
    private static final String V2_INPUTS = "seldon.prod.model.iris.inputs";
    private static final String V2_OUTPUTS = "seldon.prod.model.iris.outputs";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private MonitMlConfig config() {
        return TestConfigs.embedded("monitml-ingest-it", dataDir, TestConfigs.topology(new TopologySettings.Sources(V1_TOPIC, "seldon"),
            Duration.ofSeconds(2), new TopologySettings.Pairing(true, Duration.ofSeconds(30))), 2);
    }

    @Test
    void shouldPairEverySourcesRowsAndAccountForEveryRecord() throws Exception {
        try (MonitMlApplication app = MonitMlApplication.start(config(), PipelineListener.NONE)) {
            createV2Topics(app.config());
            await().atMost(PATIENCE).until(() -> app.state() == KafkaStreams.State.RUNNING);
            final Instant now = Instant.now();

            assertThat(postBinary(app, "io.seldon.serving.inference.request", "http-1",
                "{\"data\": {\"names\":[\"a\",\"b\"],\"ndarray\":[[1.0, 2.0],[3.0, 4.0]]}}", now)).isEqualTo(202);
            assertThat(postBinary(app, "io.seldon.serving.inference.response", "http-1",
                "{\"data\":{\"names\":[\"proba\"],\"ndarray\":[[0.1],[0.9]]},\"meta\":{}}", now.plusMillis(12))).isEqualTo(202);
            assertThat(post(app, "application/cloudevents+json", structured("request", "tf-1", "{\"instances\": [[1.0, 2.0]]}"))
                .statusCode()).isEqualTo(202);
            assertThat(post(app, "application/cloudevents+json", structured("response", "tf-1", "{\"predictions\": [[0.7]]}"))
                .statusCode()).isEqualTo(202);
            assertThat(post(app, "application/cloudevents-batch+json", "[" + structured("request", "v2json-1",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP64\",\"data\":[1.5,2.5]}]}") + ","
                + structured("response", "v2json-1",
                "{\"model_name\":\"m\",\"outputs\":[{\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[0.3]}]}") + "]")
                .statusCode()).isEqualTo(202);

            // Up to twice the limit (1 MiB) the refused body is read to its end, so a client that writes it all before it
            // reads gets the 413; a larger one is refused on its declared length, before a byte of it is read.
            assertThat(post(app, "application/json", "x".repeat(3 << 19)).statusCode()).isEqualTo(413);
            assertThat(headersOnly(app, 10 << 20)).startsWith("HTTP/1.1 413 ").contains("exceeds the limit");
            final HttpResponse<String> noType = HTTP.send(HttpRequest.newBuilder(URI.create(url(app, "/")))
                .header("Ce-Requestid", "x").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noType.statusCode()).isEqualTo(400);
            assertThat(noType.body()).contains("Ce-Type");

            try (Producer<byte[], byte[]> producer = producer(app.config())) {
                producer.send(KafkaCloudEventSink.toRecord(app.config().topics().raw(), event("request", "kafka-ce-1",
                    "{\"data\":{\"ndarray\":[[5.0, 6.0]]}}", now))).get();
                producer.send(KafkaCloudEventSink.toRecord(app.config().topics().raw(), event("response", "kafka-ce-1",
                    "{\"data\":{\"ndarray\":[[0.5]]}}", now.plusMillis(3)))).get();
                producer.send(v1Record("request", "v1-1", "{\"data\":{\"ndarray\":[[7.0, 8.0]]}}", now)).get();
                producer.send(v1Record("response", "v1-1", "{\"data\":{\"ndarray\":[[0.25]]}}", now.plusMillis(4))).get();
                producer.send(v2Record(V2_INPUTS, "v2-1", v2Request().toByteArray())).get();
                producer.send(v2Record(V2_OUTPUTS, "v2-1", v2Response().toByteArray())).get();

                producer.send(v2Record(V2_INPUTS, "garbage", new byte[] {0x0a, (byte) 0xff, 0x01})).get();
                final ProducerRecord<byte[], byte[]> notUtf8 = KafkaCloudEventSink.toRecord(app.config().topics().raw(),
                    event("request", "latin-1", "x", now));
                producer.send(new ProducerRecord<>(notUtf8.topic(), null, notUtf8.timestamp(), notUtf8.key(),
                    "{\"data\":{\"names\":[\"caf\u00e9\"],\"ndarray\":[[1]]}}".getBytes(StandardCharsets.ISO_8859_1), notUtf8.headers())).get();
                producer.send(KafkaCloudEventSink.toRecord(app.config().topics().raw(), event("request", "nan",
                    "{\"data\":{\"ndarray\":[[NaN, 1.0]]}}", now))).get();
            }

            final Map<String, List<InferenceRecord>> rows = awaitInferences(app.config(), 8);
            assertThat(rows.get("http-1")).hasSize(2).allSatisfy(row -> {
                assertThat(row.getPairing()).isEqualTo("paired");
                assertThat(row.getLatencyMillis()).isEqualTo(12.0);
            });
            assertThat(rows.get("http-1")).extracting(r -> r.getFeatures().get(1).getValue()).containsExactlyInAnyOrder(2.0, 4.0);
            for (String id : List.of("tf-1", "v2json-1", "kafka-ce-1", "v1-1")) {
                assertThat(rows.get(id)).as(id).hasSize(1).allSatisfy(row -> {
                    assertThat(row.getPairing()).isEqualTo("paired");
                    assertThat(row.getFeatures()).isNotEmpty();
                    assertThat(row.getPredictions()).isNotEmpty();
                });
            }
            assertThat(rows.get("v2-1")).hasSize(2).allSatisfy(row -> assertThat(row.getUnit().getNamespace()).isEqualTo("prod"));

            assertThat(awaitDeadLetterReasons(app.config(), 3)).containsExactlyInAnyOrder("bad-protobuf", "bad-json", "non-finite-number");

            await().atMost(PATIENCE).untilAsserted(() -> {
                final String scrape = get(app, "/metrics");
                final double in = Scrape.sum(scrape, "monitml_records_in_total");
                assertThat(in).isEqualTo(15.0);
                assertThat(Scrape.sum(scrape, "monitml_records_decoded_total") + Scrape.sum(scrape, "monitml_records_dead_lettered_total", "stage=\"decode\""))
                    .isEqualTo(in);
                assertThat(Scrape.sum(scrape, "monitml_ingest_rejected_total")).isEqualTo(3.0);
            });
        }
    }

    private static void createV2Topics(final MonitMlConfig config) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(V2_INPUTS, 1, (short) 1), new NewTopic(V2_OUTPUTS, 1, (short) 1))).all().get();
        }
    }

    private static String url(final MonitMlApplication app, final String path) {
        return "http://127.0.0.1:" + app.httpPort() + path;
    }

    private static int postBinary(final MonitMlApplication app, final String type, final String requestId, final String body,
                                  final Instant time) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(app, "/")))
            .header("Ce-Type", type).header("Ce-Requestid", requestId).header("Ce-Id", java.util.UUID.randomUUID().toString())
            .header("Ce-Specversion", "1.0").header("Ce-Source", "http://housing-v1.seldon:8000/")
            .header("Ce-Inferenceservicename", "model-logs").header("Ce-Endpoint", "logging").header("Ce-Modelid", "classifier")
            .header("Ce-Namespace", "seldon").header("Ce-Time", time.toString()).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Sends a POST's headers declaring {@code length} bytes, none of them, and reads the whole answer. */
    private static String headersOnly(final MonitMlApplication app, final int length) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.httpPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            socket.getOutputStream().write(("POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<String> post(final MonitMlApplication app, final String contentType, final String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(app, "/ingest"))).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String structured(final String kind, final String requestId, final String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + java.util.UUID.randomUUID() + "\",\"type\":\"io.seldon.serving.inference." + kind
            + "\",\"source\":\"http://tf-model.seldon:8000/\",\"requestid\":\"" + requestId + "\",\"inferenceservicename\":\"tf-model\","
            + "\"endpoint\":\"default\",\"namespace\":\"seldon\",\"modelid\":\"m\",\"datacontenttype\":\"application/json\",\"data\":"
            + data + "}";
    }

    private static SeldonEvent event(final String kind, final String requestId, final String body, final Instant time) {
        return new SeldonEvent("io.seldon.serving.inference." + kind, java.util.UUID.randomUUID().toString(), requestId, "seldon",
            "kafka-model", "default", "m", time, SeldonEvent.JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    private static ProducerRecord<byte[], byte[]> v1Record(final String kind, final String requestId, final String body, final Instant time) {
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(V1_TOPIC, null, time.toEpochMilli(), null,
            body.getBytes(StandardCharsets.UTF_8));
        record.headers().add("type", ("io.seldon.serving.inference." + kind).getBytes(StandardCharsets.UTF_8));
        record.headers().add("requestid", requestId.getBytes(StandardCharsets.UTF_8));
        record.headers().add("inferenceservicename", "direct".getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static ProducerRecord<byte[], byte[]> v2Record(final String topic, final String requestId, final byte[] value) {
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, requestId.getBytes(StandardCharsets.UTF_8), value);
        record.headers().add("x-request-id", requestId.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static ModelInferRequest v2Request() {
        return ModelInferRequest.newBuilder().setModelName("iris")
            .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("predict").setDatatype("FP32").addShape(2).addShape(2)
                .setContents(InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f, 4f))))
            .build();
    }

    private static ModelInferResponse v2Response() {
        return ModelInferResponse.newBuilder().setModelName("iris").setModelVersion("1")
            .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("predict").setDatatype("INT64").addShape(2)
                .setContents(InferTensorContents.newBuilder().addInt64Contents(0).addInt64Contents(1)))
            .build();
    }

    private static Producer<byte[], byte[]> producer(final MonitMlConfig config) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
            new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Map<String, Object> consumerSettings(final MonitMlConfig config) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    private static Map<String, List<InferenceRecord>> awaitInferences(final MonitMlConfig config, final int requestIds) {
        final Map<String, List<InferenceRecord>> rows = new HashMap<>();
        try (KafkaConsumer<String, InferenceRecord> consumer = new KafkaConsumer<>(consumerSettings(config), new StringDeserializer(),
            new AvroDeserializer<>(InferenceRecord.class, new SchemaRegistryClient(config.schemaRegistryUrl()), false))) {
            consumer.subscribe(Set.of(config.topics().inferences()));
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, InferenceRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    rows.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                }
                return rows.keySet().containsAll(List.of("http-1", "tf-1", "v2json-1", "kafka-ce-1", "v1-1", "v2-1"))
                    && rows.get("http-1").size() == 2 && rows.get("v2-1").size() == 2 && rows.size() >= requestIds - 2;
            });
        }
        return rows;
    }

    private static List<String> awaitDeadLetterReasons(final MonitMlConfig config, final int expected) {
        final List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(config),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(config.topics().deadLetter()));
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    reasons.add(new String(record.headers().lastHeader(DeadLetterHandler.REASON_HEADER).value(), StandardCharsets.UTF_8));
                }
                return reasons.size() >= expected;
            });
        }
        return reasons;
    }

    private static String get(final MonitMlApplication app, final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(app, path))).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

}
