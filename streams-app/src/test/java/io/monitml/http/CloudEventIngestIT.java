package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.monitml.embedded.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudEventIngestIT {

    private static final String TOPIC = "monitml.raw";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dataDir;

    @Test
    void writesTheExecutorsRequestAndResponseToTheBrokerBeforeAnswering202() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            try (Producer<byte[], byte[]> producer = producer(kafka.bootstrapServers());
                 KafkaConsumer<byte[], byte[]> consumer = consumer(kafka.bootstrapServers());
                 HttpApi server = TestPorts.serve(new CloudEventIngest(producer, TOPIC,
                     CloudEventIngest.Settings.defaults().withSendTimeout(Duration.ofSeconds(20)), IngestListener.NONE, Clock.systemUTC()))) {
                final String url = "http://127.0.0.1:" + server.port() + CloudEventIngest.PATH;
                final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                final String requestId = UUID.randomUUID().toString();

                final HttpResponse<String> request = client.send(executorPost(url, "io.seldon.serving.inference.request",
                    requestId, "{\"data\":{\"ndarray\":[[1.0,2.0,5.0]]}}"), HttpResponse.BodyHandlers.ofString());
                // Acknowledged means below the high watermark: what a consumer can read at once.
                final long afterRequest = consumer.endOffsets(Set.of(PARTITION)).get(PARTITION);
                final HttpResponse<String> response = client.send(executorPost(url, "io.seldon.serving.inference.response",
                    requestId, "{\"data\":{\"ndarray\":[[0.97]]},\"meta\":{}}"), HttpResponse.BodyHandlers.ofString());
                final long afterResponse = consumer.endOffsets(Set.of(PARTITION)).get(PARTITION);

                assertThat(request.statusCode()).isEqualTo(202);
                assertThat(response.statusCode()).isEqualTo(202);
                assertThat(afterRequest).isEqualTo(1);
                assertThat(afterResponse).isEqualTo(2);

                final List<ConsumerRecord<byte[], byte[]>> records = readAll(consumer, 2);
                assertThat(records).hasSize(2);
                assertThat(records).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsOnly(requestId);
                assertThat(headers(records.get(0))).containsEntry("ce_type", "io.seldon.serving.inference.request")
                    .containsEntry("ce_requestid", requestId)
                    .containsEntry("ce_inferenceservicename", "model-logs")
                    .containsEntry("ce_namespace", "seldon")
                    .containsEntry("ce_protocol", "seldon")
                    .containsEntry("content-type", "application/json");
                assertThat(headers(records.get(1))).containsEntry("ce_type", "io.seldon.serving.inference.response")
                    .containsEntry("ce_requestid", requestId);
                assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"data\":{\"ndarray\":[[0.97]]},\"meta\":{}}");
            }
        }
    }

    /** What Seldon Core v1's executor posts to its logger URL for one side of a call. */
    private static HttpRequest executorPost(final String url, final String type, final String requestId, final String body) {
        return HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Ce-Specversion", "1.0")
            .header("Ce-Id", UUID.randomUUID().toString())
            .header("Ce-Type", type)
            .header("Ce-Source", "http://model-logs-logging.seldon:8000/")
            .header("Ce-Time", java.time.Instant.now().toString())
            .header("Ce-Requestid", requestId)
            .header("Ce-Modelid", "classifier")
            .header("Ce-Inferenceservicename", "model-logs")
            .header("Ce-Namespace", "seldon")
            .header("Ce-Endpoint", "logging")
            .header("Ce-Protocol", "seldon")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    private static Producer<byte[], byte[]> producer(final String bootstrap) {
        return new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000),
            new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final String bootstrap) {
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.assign(List.of(PARTITION));
        return consumer;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(final KafkaConsumer<byte[], byte[]> consumer, final int expected) {
        consumer.seekToBeginning(List.of(PARTITION));
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static Map<String, String> headers(final ConsumerRecord<byte[], byte[]> record) {
        final Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
