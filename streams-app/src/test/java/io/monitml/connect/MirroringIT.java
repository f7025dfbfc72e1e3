package io.monitml.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.app.MonitMlApplication;
import io.monitml.app.TestConfigs;
import io.monitml.avro.PredictionStats;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.Topics;
import io.monitml.config.TopologySettings;
import io.monitml.demo.BostonHousing;
import io.monitml.demo.CanaryTrafficGenerator;
import io.monitml.demo.GeneratedRequest;
import io.monitml.demo.KafkaCloudEventSink;
import io.monitml.demo.LinearModel;
import io.monitml.demo.SeldonEvent;
import io.monitml.demo.SeldonEventSink;
import io.monitml.demo.TrafficConfig;
import io.monitml.embedded.EmbeddedKafka;
import io.monitml.embedded.EmbeddedRuntime;
import io.monitml.proto.v2.InferTensorContents;
import io.monitml.proto.v2.ModelInferRequest;
import io.monitml.proto.v2.ModelInferResponse;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.PipelineListener;

/**
 * MirrorMaker 2, run from the repository's {@code connectors/mirror-maker/mm2.properties}, copies
 * Seldon's topics from a serving cluster into a monitoring cluster, two real KRaft brokers in this
 * JVM: every record arrives with its key, value, timestamp, partition and headers, topics outside
 * the configured set stay behind, and MonitML, running against the monitoring cluster only, turns
 * the mirrored CloudEvents, v1 direct-logger records and Seldon Core v2 protobuf records into
 * closed windows with exactly the counts that were sent.
 */
class MirroringIT {

    private static final Path MM2_PROPERTIES = Path.of("..", "connectors", "mirror-maker", "mm2.properties");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private static final String RAW_TOPIC = Topics.defaults().raw();
    private static final String V1_TOPIC = "seldon";
    private static final String V2_INPUTS = "seldon.prod.model.iris.inputs";
    private static final String V2_OUTPUTS = "seldon.prod.model.iris.outputs";
    private static final String NOT_SELDON = "payments.events";
    private static final List<String> MIRRORED = List.of(RAW_TOPIC, V1_TOPIC, V2_INPUTS, V2_OUTPUTS);

    private static final String CLOUD_EVENTS_DEPLOYMENT = "housing";
    private static final String V1_LOGGER_DEPLOYMENT = "housing-direct";
    private static final String V2_UNIT = "prod/iris/1/iris";
    private static final int V2_CALLS = 3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldMirrorSeldonTopicsWithTheirHeadersForMonitMlOnTheMonitoringCluster() throws Exception {
        try (EmbeddedKafka serving = EmbeddedKafka.start(dir.resolve("serving"), 0);
             EmbeddedRuntime monitoring = EmbeddedRuntime.start(dir.resolve("monitoring"), 0, 0)) {
            createTopics(serving.bootstrapServers());
            // A closed window in the recent past: the traffic's event times are set, not waited for.
            final Instant windowStart = Instant.ofEpochMilli(
                Math.floorDiv(System.currentTimeMillis(), WINDOW.toMillis()) * WINDOW.toMillis()).minus(WINDOW.multipliedBy(6));
            final SetClock clock = new SetClock(windowStart.plusSeconds(2));
            final Map<String, Expected> expected = new TreeMap<>();

            try (Traffic traffic = new Traffic(serving.bootstrapServers(), clock)) {
                // Before MirrorMaker runs: a backlog it must copy from the earliest offsets.
                traffic.send(150, expected);
                traffic.sendV2(windowStart.plusSeconds(3), V2_CALLS);
                traffic.sendUnrelated();
                traffic.flush();
                final Map<String, Expected> units = new TreeMap<>(expected);
                units.put(V2_UNIT, new Expected(V2_CALLS, 2L * V2_CALLS));

                final MirrorMaker mirrorMaker = startMirrorMaker(serving.bootstrapServers(), monitoring.bootstrapServers());
                try {
                    assertMirrored(serving.bootstrapServers(), monitoring.bootstrapServers());

                    final MonitMlConfig config = TestConfigs.connected(monitoring.bootstrapServers(), monitoring.schemaRegistryUrl(),
                        "monitml-mirroring-it", dir.resolve("app"),
                        TestConfigs.topology(new TopologySettings.Sources(V1_TOPIC, "seldon"), WINDOW,
                            new TopologySettings.Pairing(false, Duration.ofSeconds(30))),
                        2, MonitMlConfig.Api.OPEN);
                    try (MonitMlApplication app = MonitMlApplication.start(config, PipelineListener.NONE)) {
                        await().atMost(PATIENCE).until(() -> app.state() == KafkaStreams.State.RUNNING);
                        // The whole backlog counted in the open window before later events close it:
                        // partials of a later window merged first would push the earlier one past its grace.
                        awaitLiveWindows(app, windowStart, units);

                        // While MirrorMaker runs: live traffic two windows later, which closes the first window.
                        clock.set(windowStart.plus(WINDOW.multipliedBy(2)).plusSeconds(5));
                        traffic.sendUntilBothVariants();
                        traffic.sendV2(clock.instant(), 1);
                        traffic.flush();

                        final Map<String, PredictionStats> closed = awaitClosedWindows(config, windowStart, units.keySet());
                        assertThat(expected.keySet()).as("both sources, both variants").hasSize(4);
                        units.forEach((unit, want) -> {
                            final PredictionStats stats = closed.get(unit);
                            assertThat(stats.getResponses()).as("responses of %s", unit).isEqualTo(want.responses);
                            assertThat(stats.getCount()).as("predictions of %s", unit).isEqualTo(want.rows);
                            assertThat(stats.getWindowEnd()).isEqualTo(windowStart.plus(WINDOW));
                            if (unit.equals(V2_UNIT)) {
                                assertThat(stats.getMean()).as("Seldon v2's predictions 0 and 1").isEqualTo(0.5);
                            } else if (unit.contains("/v2/")) {
                                assertThat(stats.getMean()).as("the broken canary's mean in %s", unit).isEqualTo(100.0);
                                assertThat(stats.getMin()).isEqualTo(100.0);
                                assertThat(stats.getMax()).isEqualTo(100.0);
                            } else {
                                assertThat(stats.getMean()).as("the healthy variant's mean in %s", unit).isBetween(5_000.0, 50_000.0);
                            }
                        });
                    }
                    // Backlog and live records alike, on every mirrored topic.
                    assertMirrored(serving.bootstrapServers(), monitoring.bootstrapServers());
                } finally {
                    mirrorMaker.stop();
                }
            }
        }
    }

    /** Every mirrored topic holds on the monitoring cluster exactly what it holds on the serving cluster; the others nothing. */
    private static void assertMirrored(final String servingBootstrap, final String monitoringBootstrap) throws Exception {
        for (String topic : MIRRORED) {
            final List<String> sent = readAll(servingBootstrap, topic, -1);
            assertThat(sent).as("records on the serving cluster's %s", topic).isNotEmpty();
            assertThat(readAll(monitoringBootstrap, topic, sent.size()))
                .as("%s on the monitoring cluster: the same records, headers, timestamps and partitions", topic)
                .containsExactlyInAnyOrderElementsOf(sent);
        }
        assertThat(topics(monitoringBootstrap)).as("topics outside the mirrored set stay behind")
            .containsAll(MIRRORED).doesNotContain(NOT_SELDON);
    }

    /** Waits until the query API shows each unit's open window starting at {@code windowStart} with all its rows. */
    private static void awaitLiveWindows(final MonitMlApplication app, final Instant windowStart, final Map<String, Expected> units) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (Map.Entry<String, Expected> unit : units.entrySet()) {
                final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort()
                    + "/api/v1/units/" + unit.getKey() + "/stats/live")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("live windows of %s: %s", unit.getKey(), response.body()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).get("windows")).as("live windows of %s", unit.getKey())
                    .anySatisfy(window -> {
                        assertThat(Instant.parse(window.get("windowStart").asText())).isEqualTo(windowStart);
                        assertThat(window.get("count").asLong()).isEqualTo(unit.getValue().rows);
                    });
            }
        });
    }

    /**
     * The committed MirrorMaker file, with the two test clusters' addresses, replication factors of
     * one (each cluster has a single broker) and its internal REST port on any free loopback port.
     */
    private static MirrorMaker startMirrorMaker(final String servingBootstrap, final String monitoringBootstrap) throws IOException {
        final Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(MM2_PROPERTIES, StandardCharsets.UTF_8)) {
            file.load(reader);
        }
        final Map<String, String> props = new HashMap<>();
        file.stringPropertyNames().forEach(name -> props.put(name, file.getProperty(name)));
        assertThat(props).containsKeys("serving.bootstrap.servers", "monitoring.bootstrap.servers", "listeners");
        props.put("serving.bootstrap.servers", servingBootstrap);
        props.put("monitoring.bootstrap.servers", monitoringBootstrap);
        props.replaceAll((name, value) -> name.endsWith("replication.factor") ? "1" : value);
        props.put("listeners", "http://127.0.0.1:0");
        // The Connect runtime swaps the thread's context class loader for its plugin loader.
        final ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            final MirrorMaker mirrorMaker = new MirrorMaker(props, List.of("monitoring"));
            mirrorMaker.start();
            return mirrorMaker;
        } finally {
            Thread.currentThread().setContextClassLoader(loader);
        }
    }

    private static void createTopics(final String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(RAW_TOPIC, 2, (short) 1), new NewTopic(V1_TOPIC, 2, (short) 1),
                new NewTopic(V2_INPUTS, 1, (short) 1), new NewTopic(V2_OUTPUTS, 1, (short) 1),
                new NewTopic(NOT_SELDON, 1, (short) 1))).all().get();
        }
    }

    private static Set<String> topics(final String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listTopics().names().get();
        }
    }

    /**
     * Every record of a topic, as text that holds all MirrorMaker must keep: partition, timestamp,
     * key, value and the headers in order. Waits for {@code expected} records, or with -1 reads to
     * the end.
     */
    private static List<String> readAll(final String bootstrap, final String topic, final int expected) {
        final List<String> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(PATIENCE).until(() -> !consumer.partitionsFor(topic).isEmpty());
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(describe(record));
                }
                if (expected >= 0) {
                    return records.size() >= expected;
                }
                final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return records;
    }

    private static String describe(final ConsumerRecord<byte[], byte[]> record) {
        final Base64.Encoder base64 = Base64.getEncoder();
        final StringBuilder text = new StringBuilder().append(record.partition()).append(' ').append(record.timestamp()).append(' ')
            .append(record.key() == null ? "-" : base64.encodeToString(record.key())).append(' ')
            .append(base64.encodeToString(record.value()));
        for (Header header : record.headers()) {
            text.append(' ').append(header.key()).append('=').append(new String(header.value(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /** The latest statistics per unit of the window that starts at {@code windowStart}, once every unit has one. */
    private static Map<String, PredictionStats> awaitClosedWindows(final MonitMlConfig config, final Instant windowStart,
                                                                  final Set<String> units) {
        final Map<String, PredictionStats> closed = new HashMap<>();
        try (KafkaConsumer<String, PredictionStats> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new StringDeserializer(), new AvroDeserializer<>(PredictionStats.class, new SchemaRegistryClient(config.schemaRegistryUrl()), false))) {
            consumer.subscribe(Set.of(config.topics().predictionStats()));
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, PredictionStats> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().getWindowStart().equals(windowStart)) {
                        closed.put(record.key(), record.value());
                    }
                }
                return closed.keySet().containsAll(units);
            });
        }
        return closed;
    }

    /** Counts of one unit's window, as sent. */
    private static final class Expected {
        long responses;
        long rows;

        Expected() {
        }

        Expected(final long responses, final long rows) {
            this.responses = responses;
            this.rows = rows;
        }
    }

    /**
     * The demo's canary traffic on the serving cluster, twice: as binary CloudEvents (what a Knative
     * KafkaSink stores for the executor's HTTP logger) and as the v1 executor's direct Kafka logger
     * writes it, under another deployment name; plus Seldon Core v2 protobuf records.
     */
    private static final class Traffic implements AutoCloseable {

        private final Producer<byte[], byte[]> producer;
        private final SetClock clock;
        private final CanaryTrafficGenerator cloudEvents;
        private final CanaryTrafficGenerator v1Logger;

        Traffic(final String bootstrap, final SetClock clock) {
            this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
            this.clock = clock;
            final BostonHousing data = BostonHousing.load();
            final LinearModel model = LinearModel.fit(data);
            this.cloudEvents = new CanaryTrafficGenerator(traffic(CLOUD_EVENTS_DEPLOYMENT, 1), data, model,
                new KafkaCloudEventSink(producer, RAW_TOPIC), clock);
            this.v1Logger = new CanaryTrafficGenerator(traffic(V1_LOGGER_DEPLOYMENT, 2), data, model, new V1LoggerSink(producer), clock);
        }

        private static TrafficConfig traffic(final String deployment, final long seed) {
            final TrafficConfig defaults = TrafficConfig.defaults();
            return new TrafficConfig(defaults.requestsPerSecond(), defaults.canaryShare(), Duration.ofDays(1), defaults.drift(),
                defaults.noiseLevel(), defaults.batchShare(), seed, defaults.namespace(), deployment, defaults.stableVariant(),
                defaults.canaryVariant(), defaults.modelId());
        }

        /** {@code calls} calls from each source at the clock's time, counted per unit. */
        void send(final int calls, final Map<String, Expected> expected) {
            for (int i = 0; i < calls; i++) {
                count(cloudEvents.nextRequest(), CLOUD_EVENTS_DEPLOYMENT, expected);
                count(v1Logger.nextRequest(), V1_LOGGER_DEPLOYMENT, expected);
            }
        }

        /** Calls from each source until both variants of both have had some, so that every unit's window closes. */
        void sendUntilBothVariants() {
            for (CanaryTrafficGenerator generator : List.of(cloudEvents, v1Logger)) {
                final Map<String, Integer> calls = new HashMap<>();
                while (calls.size() < 2 || calls.values().stream().anyMatch(n -> n < 3)) {
                    calls.merge(generator.nextRequest().endpoint(), 1, Integer::sum);
                }
            }
        }

        private static void count(final GeneratedRequest call, final String deployment, final Map<String, Expected> expected) {
            final Expected unit = expected.computeIfAbsent(TrafficConfig.DEFAULT_NAMESPACE + "/" + deployment + "/" + call.endpoint()
                + "/" + TrafficConfig.DEFAULT_MODEL_ID, k -> new Expected());
            unit.responses++;
            unit.rows += call.rows().length;
        }

        /** {@code calls} Seldon Core v2 request/response pairs of model iris version 1, two rows each. */
        void sendV2(final Instant time, final int calls) {
            for (int i = 0; i < calls; i++) {
                final String requestId = "v2-" + time.toEpochMilli() + "-" + i;
                final ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("iris")
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("predict").setDatatype("FP32").addShape(2).addShape(2)
                        .setContents(InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f, 4f))))
                    .build();
                final ModelInferResponse response = ModelInferResponse.newBuilder().setModelName("iris").setModelVersion("1")
                    .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("predict").setDatatype("INT64").addShape(2)
                        .setContents(InferTensorContents.newBuilder().addInt64Contents(0).addInt64Contents(1)))
                    .build();
                producer.send(v2Record(V2_INPUTS, requestId, time, request.toByteArray()));
                producer.send(v2Record(V2_OUTPUTS, requestId, time.plusMillis(5), response.toByteArray()));
            }
        }

        private static ProducerRecord<byte[], byte[]> v2Record(final String topic, final String requestId, final Instant time,
                                                               final byte[] value) {
            final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, time.toEpochMilli(),
                requestId.getBytes(StandardCharsets.UTF_8), value);
            record.headers().add("x-request-id", requestId.getBytes(StandardCharsets.UTF_8));
            return record;
        }

        /** A record on a topic the mirroring must leave alone. */
        void sendUnrelated() {
            producer.send(new ProducerRecord<>(NOT_SELDON, "order-1".getBytes(StandardCharsets.UTF_8),
                "{\"amount\": 12}".getBytes(StandardCharsets.UTF_8)));
        }

        void flush() {
            producer.flush();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /**
     * The Seldon Core v1 executor's direct Kafka logger: the payload as the value, its attributes
     * as bare headers ({@code type}, {@code requestid}, ...), the event time as the record's timestamp.
     */
    private static final class V1LoggerSink implements SeldonEventSink {

        private final Producer<byte[], byte[]> producer;

        V1LoggerSink(final Producer<byte[], byte[]> producer) {
            this.producer = producer;
        }

        @Override
        public void send(final SeldonEvent event) {
            final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(V1_TOPIC, null, event.time().toEpochMilli(),
                event.requestId().getBytes(StandardCharsets.UTF_8), event.body());
            final Map<String, String> headers = new java.util.LinkedHashMap<>();
            headers.put("type", event.type());
            headers.put("id", event.id());
            headers.put("requestid", event.requestId());
            headers.put("namespace", event.namespace());
            headers.put("inferenceservicename", event.inferenceServiceName());
            headers.put("endpoint", event.endpoint());
            headers.put("modelid", event.modelId());
            headers.put("content-type", event.contentType());
            headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(record);
        }

        @Override
        public void close() {
            // The producer belongs to the traffic.
        }
    }

    /** A clock the test sets: the generators' event times. */
    private static final class SetClock extends Clock {

        private volatile Instant now;

        SetClock(final Instant start) {
            this.now = start;
        }

        void set(final Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }
}
