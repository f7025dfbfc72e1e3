package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import java.util.HashMap;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

import io.monitml.avro.PredictionStats;
import io.monitml.baseline.BaselinePublisher;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.TopologySettings;
import io.monitml.demo.DemoBaseline;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.DeadLetterHandler;
import io.monitml.topology.Names;
import io.monitml.topology.PipelineListener;

/**
 * The whole application against the real in-process KRaft broker and schema registry: canary
 * traffic in, per-variant statistics out on the topic and on /metrics, bad records to the
 * dead-letter topic while the stream keeps running, and a restart on the same data directory.
 */
class MonitMlApplicationIT {

    private static final String APPLICATION_ID = "monitml-it";
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private MonitMlConfig config() {
        return TestConfigs.embedded(APPLICATION_ID, dataDir, TestConfigs.topology(TopologySettings.Sources.cloudEventsOnly(),
            WINDOW, new TopologySettings.Pairing(true, Duration.ofSeconds(10))), 2);
    }

    @Test
    void shouldReportTheBrokenCanaryDeadLetterBadRecordsAndSurviveARestart() throws Exception {
        try (MonitMlApplication app = MonitMlApplication.start(config(), PipelineListener.NONE);
             DemoTraffic traffic = new DemoTraffic(app)) {
            await().atMost(PATIENCE).until(() -> app.state() == KafkaStreams.State.RUNNING);
            BaselinePublisher.publish(app.config().bootstrapServers(), new SchemaRegistryClient(app.config().schemaRegistryUrl()),
                app.config().topics().baselines(), DemoBaseline.spec().key(), DemoBaseline.build(java.time.Instant.now()));
            traffic.start();

            final Map<String, PredictionStats> latest = awaitBothVariants(app.config());
            assertThat(latest.get("v2").getMean()).isEqualTo(100.0);
            assertThat(latest.get("v2").getMin()).isEqualTo(100.0);
            assertThat(latest.get("v2").getMax()).isEqualTo(100.0);
            assertThat(latest.get("v1").getMean()).isBetween(5_000.0, 50_000.0);
            assertThat(latest.get("v1").getCount()).isGreaterThan(latest.get("v2").getCount());

            await().atMost(PATIENCE).untilAsserted(() -> {
                final String metrics = get(app, "/metrics").body();
                assertThat(gauge(metrics, "monitml_prediction_mean", "v2")).isEqualTo(100.0);
                assertThat(gauge(metrics, "monitml_prediction_mean", "v1")).isBetween(5_000.0, 50_000.0);
                assertThat(metrics).contains("kafka_stream_thread_", "jvm_memory_used_bytes", "monitml_records_in_total");
                assertThat(gauge(metrics, "monitml_prediction_drifted", "v2")).as("the canary's predictions left the baseline").isEqualTo(1.0);
                assertThat(gauge(metrics, "monitml_prediction_drifted", "v1")).as("the healthy variant's did not").isEqualTo(0.0);
                assertThat(metrics).contains("monitml_feature_psi{", "feature=\"rm\"", "monitml_drift_detected{");
                // The demo's stable model answers in about 20 ms, the broken canary in about 2 ms.
                assertThat(gauge(metrics, "monitml_latency_p50_seconds", "v1")).isBetween(0.015, 0.025);
                assertThat(gauge(metrics, "monitml_latency_p50_seconds", "v2")).isBetween(0.001, 0.004);
            });
            assertThat(get(app, "/health").statusCode()).isEqualTo(200);

            sendBadRecords(app.config());
            final Map<String, String> reasons = awaitDeadLetters(app.config(), 2);
            assertThat(reasons.values()).containsExactlyInAnyOrder("bad-json", "unknown-schema-id");
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(metricNames(get(app, "/metrics").body()))
                .as("the running application exports every metric the alert rules and dashboards query").containsAll(QueriedMetrics.all()));
            final long before = System.currentTimeMillis();
            await().atMost(PATIENCE).until(() -> awaitBothVariants(app.config()).get("v2").getWindowStart().toEpochMilli() > before);
        }

        try (MonitMlApplication restarted = MonitMlApplication.start(config(), PipelineListener.NONE);
             DemoTraffic traffic = new DemoTraffic(restarted)) {
            await().atMost(PATIENCE).until(() -> restarted.state() == KafkaStreams.State.RUNNING);
            final long restartedAt = System.currentTimeMillis();
            traffic.start();
            await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(awaitBothVariants(restarted.config()).get("v2").getWindowStart().toEpochMilli()).isGreaterThan(restartedAt));
        }
    }

    /** Reads the statistics topic from the start and returns the latest window of each variant. */
    private static Map<String, PredictionStats> awaitBothVariants(final MonitMlConfig config) {
        final Map<String, PredictionStats> latest = new HashMap<>();
        final SchemaRegistryClient freshClient = new SchemaRegistryClient(config.schemaRegistryUrl());
        try (KafkaConsumer<String, PredictionStats> consumer = new KafkaConsumer<>(consumerSettings(config),
            new StringDeserializer(), new AvroDeserializer<>(PredictionStats.class, freshClient, false))) {
            consumer.subscribe(Set.of(config.topics().predictionStats()));
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, PredictionStats> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.merge(record.value().getUnit().getVariant(), record.value(),
                        (a, b) -> b.getWindowStart().isAfter(a.getWindowStart()) ? b : a);
                }
                return latest.containsKey("v1") && latest.containsKey("v2") && consumer.assignment().size() == 2
                    && consumer.assignment().stream().allMatch(p -> consumer.position(p) >= consumer.endOffsets(Set.of(p)).get(p));
            });
        }
        return latest;
    }

    private static void sendBadRecords(final MonitMlConfig config) throws Exception {
        try (Producer<byte[], byte[]> producer = producer(config)) {
            final ProducerRecord<byte[], byte[]> badJson = new ProducerRecord<>(config.topics().raw(), "r1".getBytes(StandardCharsets.UTF_8),
                "{\"data\": {".getBytes(StandardCharsets.UTF_8));
            badJson.headers().add("ce_type", "io.seldon.serving.inference.response".getBytes(StandardCharsets.UTF_8));
            badJson.headers().add("ce_requestid", "r1".getBytes(StandardCharsets.UTF_8));
            badJson.headers().add("ce_inferenceservicename", "housing".getBytes(StandardCharsets.UTF_8));
            producer.send(badJson).get();
            // A partial framed with a schema id the registry never issued, as after a registry lost its data.
            final byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(999_999).putInt(42).array();
            producer.send(new ProducerRecord<>(Names.repartitionTopic(APPLICATION_ID, Names.PREDICTION_PARTIALS_BY_UNIT),
                "seldon/housing/v1/classifier".getBytes(StandardCharsets.UTF_8), unknownId)).get();
        }
    }

    private static Map<String, String> awaitDeadLetters(final MonitMlConfig config, final int expected) {
        final Map<String, String> reasonsByTopic = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(config),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(config.topics().deadLetter()));
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    reasonsByTopic.put(header(record, DeadLetterHandler.TOPIC_HEADER), header(record, DeadLetterHandler.REASON_HEADER));
                }
                return reasonsByTopic.size() >= expected;
            });
        }
        return reasonsByTopic;
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> consumerSettings(final MonitMlConfig config) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    private static Producer<byte[], byte[]> producer(final MonitMlConfig config) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
            ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static HttpResponse<String> get(final MonitMlApplication app, final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static java.util.Set<String> metricNames(final String scrape) {
        final java.util.Set<String> names = new java.util.TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static double gauge(final String scrape, final String name, final String variant) {
        final Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*variant=\"" + variant + "\"[^}]*} (\\S+)$").matcher(scrape);
        assertThat(matcher.find()).as("%s for %s in the scrape", name, variant).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
