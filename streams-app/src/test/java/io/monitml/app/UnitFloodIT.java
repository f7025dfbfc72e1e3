package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.avro.PredictionStats;
import io.monitml.demo.KafkaCloudEventSink;
import io.monitml.demo.SeldonEvent;
import io.monitml.embedded.EmbeddedKafka;
import io.monitml.ingest.Unit;

/**
 * A sender invents 5,000 units while a new real model with a baseline starts, on two instances
 * that share the work (two input partitions): the real model gets its place and every one of its
 * windows holds exactly what was sent, from both partitions; the invented units take no more than
 * their namespace's share; the refusals are counted by namespace, and Prometheus, scraping both
 * instances with the repository's rules, fires {@code MonitMLUnitsRefused} for that namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnitFloodIT {

    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int PARTITIONS = 2;
    private static final int FLOOD_UNITS = 5_000;
    private static final int MAX_UNITS = 40;
    private static final int PER_NAMESPACE = 10;
    private static final String TOPIC = "in.flood";
    private static final String BASELINES = "flood.baselines";
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Duration REAL_TRAFFIC = WINDOW.multipliedBy(6);
    private static final String RESPONSE = "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[21.5]]}}";
    private static final String REQUEST = "{\"data\":{\"names\":[\"rm\"],\"ndarray\":[[6.5]]}}";

    private Path dir;
    private BrokerAndRegistry cluster;

    @BeforeAll
    void startBrokerAndRegistry(@TempDir final Path tempDir) throws Exception {
        dir = tempDir;
        cluster = BrokerAndRegistry.start(dir.resolve("broker"), EmbeddedKafka.Options.plaintext(0));
        cluster.createInputsAndDemoBaseline(BASELINES, PARTITIONS, TOPIC);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldMonitorANewRealModelWithABaselineWhileASenderInventsThousandsOfUnits() throws Exception {
        final Unit real = new Unit("seldon", "housing", "canary-2", "classifier");
        Process prometheus = null;
        try (ChildApplication first = launch(1).awaitReady(); ChildApplication second = launch(2).awaitReady();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                 cluster.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
            await("both instances hold tasks").atMost(PATIENCE).until(() -> cluster.assignedMembers("unit-flood") == 2);
            final int prometheusPort = freePort();
            prometheus = new ProcessBuilder("prometheus", "--config.file=" + prometheusConfig(first.port(), second.port()),
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("prom-data")), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            awaitReady(prometheusPort);

            // The flood first: invented units, one response each, on both partitions, 1,000 a second.
            final long floodStart = System.nanoTime();
            for (int i = 0; i < FLOOD_UNITS; i++) {
                final long due = floodStart + i * 1_000_000L;
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() >= due);
                send(producer, i % PARTITIONS, new Unit("flood", "made-up-" + i, "v", "m"), SeldonEvent.RESPONSE_TYPE, Instant.now(), RESPONSE);
            }
            // Then the real model starts: 10 inferences a second on both partitions, whole windows of it compared.
            final Instant start = Instant.ofEpochMilli((System.currentTimeMillis() / WINDOW.toMillis() + 1) * WINDOW.toMillis());
            final Map<String, Long> sent = new TreeMap<>();
            int call = 0;
            for (Instant next = start; next.isBefore(start.plus(REAL_TRAFFIC.plus(WINDOW.multipliedBy(3)))); next = next.plusMillis(100)) {
                final Instant due = next;
                await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5)).until(() -> !Instant.now().isBefore(due));
                final Instant now = Instant.now();
                final String requestId = UUID.randomUUID().toString();
                send(producer, call % PARTITIONS, real, SeldonEvent.REQUEST_TYPE, now, REQUEST, requestId);
                send(producer, call % PARTITIONS, real, SeldonEvent.RESPONSE_TYPE, now, RESPONSE, requestId);
                call++;
                sent.merge(ScriptedTraffic.key(real.variant(), ScriptedTraffic.windowStart(now, WINDOW)), 1L, Long::sum);
            }
            producer.flush();

            final Set<String> compared = new HashSet<>();
            for (Instant window = start; window.isBefore(start.plus(REAL_TRAFFIC)); window = window.plus(WINDOW)) {
                // The results' key of a housing unit: its variant and window.
                compared.add(ScriptedTraffic.key(real.variant(), window));
            }
            final RunResults results = RunResults.read(cluster.bootstrapServers(), cluster.registryUrl(), RunResults.Topics.of("flood"),
                compared, PATIENCE);
            final List<String> wrong = new ArrayList<>();
            for (String key : compared) {
                final PredictionStats stats = results.stats().get(key);
                if (stats == null || stats.getResponses() != sent.get(key)) {
                    wrong.add(key + ": " + (stats == null ? "none" : stats.getResponses()) + " responses of " + sent.get(key));
                }
            }
            assertThat(wrong).as("the real model's windows, from both partitions, of %d", compared.size()).isEmpty();

            // Each of the two merging tasks lets in at most PER_NAMESPACE invented units: the rest are refused.
            final long admittedAtMost = (long) PARTITIONS * PER_NAMESPACE;
            await("the flood counted").atMost(PATIENCE).until(() -> refused(first, "flood") + refused(second, "flood")
                >= FLOOD_UNITS - admittedAtMost);
            assertThat(refused(first, "flood") + refused(second, "flood")).as("records of the invented units refused")
                .isEqualTo(FLOOD_UNITS - admittedAtMost);
            assertThat(first.metric("monitml_records_refused_total") + second.metric("monitml_records_refused_total"))
                .as("nothing refused but the invented units").isEqualTo(FLOOD_UNITS - admittedAtMost);
            assertThat(first.metric("monitml_units_monitored") + second.metric("monitml_units_monitored"))
                .as("the real model (statistics and drift) and the invented units let in (statistics), once each")
                .isEqualTo(2 + admittedAtMost);

            final JsonNode alert = awaitFiring(prometheusPort, "MonitMLUnitsRefused");
            assertThat(alert.get("labels").get("namespace").asText()).isEqualTo("flood");
            System.out.printf("UnitFloodIT %d windows of the real model exact on two instances; %d invented units refused, %s%n",
                compared.size(), FLOOD_UNITS - admittedAtMost, alert.get("annotations").get("summary").asText());
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    private static void awaitReady(final int port) {
        final HttpClient client = HttpClient.newHttpClient();
        await("Prometheus ready").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private static double refused(final ChildApplication app, final String namespace) {
        return app.metric("monitml_records_refused_total", "namespace=\"" + namespace + "\"");
    }

    private static void send(final KafkaProducer<byte[], byte[]> producer, final int partition, final Unit unit, final String type,
                             final Instant time, final String body) {
        send(producer, partition, unit, type, time, body, UUID.randomUUID().toString());
    }

    private static void send(final KafkaProducer<byte[], byte[]> producer, final int partition, final Unit unit, final String type,
                             final Instant time, final String body, final String requestId) {
        final ProducerRecord<byte[], byte[]> record = KafkaCloudEventSink.toRecord(TOPIC, new SeldonEvent(type, UUID.randomUUID().toString(),
            requestId, unit.namespace(), unit.deployment(), unit.variant(), unit.model(), time, SeldonEvent.JSON,
            body.getBytes(StandardCharsets.UTF_8)));
        producer.send(new ProducerRecord<>(TOPIC, partition, record.timestamp(), record.key(), record.value(), record.headers()));
    }

    /** Waits until Prometheus reports the alert firing; returns it. */
    private static JsonNode awaitFiring(final int port, final String name) {
        final HttpClient client = HttpClient.newHttpClient();
        final ObjectMapper json = new ObjectMapper();
        return await("Prometheus fires " + name).atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            final JsonNode alerts = json.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/alerts"))
                .build(), HttpResponse.BodyHandlers.ofString()).body()).get("data").get("alerts");
            for (JsonNode alert : alerts) {
                if (alert.get("labels").get("alertname").asText().equals(name) && alert.get("state").asText().equals("firing")) {
                    return alert;
                }
            }
            return null;
        }, alert -> alert != null);
    }

    private Path prometheusConfig(final int firstPort, final int secondPort) throws Exception {
        final Path rules = Path.of("..", "deploy", "prometheus", "rules", "monitml.rules.yml").toAbsolutePath().normalize();
        return Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
            "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s",
            "rule_files:", "  - " + rules,
            "scrape_configs:", "  - job_name: monitml", "    static_configs:",
            "      - targets: ['127.0.0.1:" + firstPort + "', '127.0.0.1:" + secondPort + "']", "")).toAbsolutePath();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private ChildApplication launch(final int instance) {
        return ChildApplication.start(dir.resolve("flood-" + instance + ".log"), List.of(
            "--bootstrap-servers", cluster.bootstrapServers(), "--schema-registry-url", cluster.registryUrl(),
            "--application-id", "unit-flood", "--data-dir", dir.resolve("data-" + instance).toString(),
            "--http-host", "127.0.0.1", "--http-port", "0", "--ingest", "false", "--seldon-v2-prefix", "",
            "--raw-topic", TOPIC, "--dead-letter-topic", "dead-letters.flood", "--prediction-stats-topic", "stats.flood",
            "--drift-topic", "drift.flood", "--inferences-topic", "", "--baselines-topic", BASELINES,
            "--window", WINDOW.toSeconds() + "s", "--grace", GRACE.toSeconds() + "s", "--flush-interval", "200ms",
            "--idle-timeout", "2s", "--max-units", String.valueOf(MAX_UNITS), "--max-units-per-namespace", String.valueOf(PER_NAMESPACE),
            "--topic-partitions", "1", "--kafka", "commit.interval.ms=200", "--kafka", "session.timeout.ms=6000",
            "--kafka", "heartbeat.interval.ms=1500"));
    }
}
