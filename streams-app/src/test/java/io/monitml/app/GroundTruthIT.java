package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.avro.PerformanceReport;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.TopologySettings;
import io.monitml.demo.BostonHousing;
import io.monitml.demo.CanaryTrafficGenerator;
import io.monitml.demo.GeneratedRequest;
import io.monitml.demo.GroundTruth;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.HttpLabelSink;
import io.monitml.demo.LabelSink;
import io.monitml.demo.LinearModel;
import io.monitml.demo.SeldonEvent;
import io.monitml.demo.SeldonEventSink;
import io.monitml.demo.TrafficConfig;
import io.monitml.embedded.EmbeddedRuntime;
import io.monitml.http.CloudEventIngest;
import io.monitml.ingest.Label;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.Names;
import io.monitml.topology.PipelineListener;

/**
 * The label join on the real broker with the demo's traffic: its calls posted to the ingest endpoint,
 * the true prices of 30% of them posted to {@code /api/v1/labels} one to five seconds later, and the
 * application restarted halfway while labels are still due; after the restart a hostile sender
 * writes beside it to the labels topic (labels for ids nobody sent, broken JSON, future times, a
 * wrong shape for predictions no label judged). Every healthy label is counted once, and the
 * realized figures summed over the windows of the compacted topic equal the test's own sums over
 * what it sent: v2's error is the price less its constant answer, v1's the linear model's. Every
 * hostile label is counted or dead-lettered with its reason, and the application keeps running.
 */
class GroundTruthIT {

    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int CALLS_PER_PHASE = 900;
    private static final Duration MIN_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private MonitMlConfig config() {
        return config("", "");
    }

    /** On the broker and registry given ({@code ""}: the embedded ones, started by the application), topics of two partitions. */
    private MonitMlConfig config(final String bootstrapServers, final String registryUrl) {
        final TopologySettings topology = TestConfigs.topology(TopologySettings.Sources.cloudEventsOnly(), WINDOW,
            new TopologySettings.Pairing(true, Duration.ofSeconds(10)));
        return TestConfigs.connected(bootstrapServers, registryUrl, "monitml-truth-it", dataDir, topology.withGroundTruth(
            new TopologySettings.GroundTruth(true, Duration.ofMinutes(10), Duration.ofMinutes(1), 20)), 2, MonitMlConfig.Api.OPEN);
    }

    /** Posts to whichever instance runs now, and remembers every label it was given. */
    private static final class RecordingSink implements LabelSink {
        final List<Label> labels = new ArrayList<>();
        HttpLabelSink target;

        @Override
        public void send(final List<Label> batch) {
            labels.addAll(batch);
            target.send(batch);
        }

        @Override
        public void close() {
            target.close();
        }
    }

    /** Posts to whichever instance runs now. */
    private static final class SwitchingSink implements SeldonEventSink {
        HttpCloudEventSink target;

        @Override
        public void send(final SeldonEvent event) {
            target.send(event);
        }

        @Override
        public void close() {
            target.close();
        }
    }

    @Test
    void shouldJoinEveryLabelOnceAcrossARestartAndReportTheErrorOfWhatWasSent() throws Exception {
        final RecordingSink labels = new RecordingSink();
        final SwitchingSink events = new SwitchingSink();
        final Map<String, GeneratedRequest> calls = new HashMap<>();
        final GroundTruth truth = new GroundTruth(0.3, MIN_DELAY, MAX_DELAY, labels, 7);
        final CanaryTrafficGenerator generator = CanaryTrafficGenerator.create(
            TrafficConfig.defaults().withDriftAfter(Duration.ofHours(1)), events).labelledBy(truth);
        try (MonitMlApplication app = MonitMlApplication.start(config(), PipelineListener.NONE)) {
            await().atMost(PATIENCE).until(() -> app.state() == KafkaStreams.State.RUNNING);
            connect(app, events, labels);
            play(generator, calls, CALLS_PER_PHASE);
            events.close();
            labels.close();
            assertThat(truth.pending()).as("labels still due when the instance stops").isPositive();
        }
        try (MonitMlApplication restarted = MonitMlApplication.start(config(), PipelineListener.NONE)) {
            await().atMost(PATIENCE).until(() -> restarted.state() == KafkaStreams.State.RUNNING);
            connect(restarted, events, labels);
            play(generator, calls, CALLS_PER_PHASE / 2);
            // A hostile sender beside the healthy traffic: labels for ids nobody sent, broken JSON, times from the future.
            sendHostileLabels(restarted.config(), List.of());
            play(generator, calls, CALLS_PER_PHASE - CALLS_PER_PHASE / 2);
            sendTheLabelsStillDue(generator, truth, events, labels);
            // And labels of the wrong shape for predictions no label has judged: refused, the predictions left unjudged.
            final Set<String> labelled = new HashSet<>();
            labels.labels.forEach(label -> labelled.add(label.requestId()));
            sendHostileLabels(restarted.config(), calls.keySet().stream().filter(id -> !labelled.contains(id) && calls.get(id).predictions().length == 1).limit(MISFITS).toList());
            assertThat(labels.target.failures()).isZero();

            final Map<String, Expected> expected = expected(calls, labels.labels);
            final Map<String, Map<String, PerformanceReport>> reported = awaitEveryLabelJoined(restarted.config(), expected);
            for (String variant : List.of("v1", "v2")) {
                final Expected want = expected.get(variant);
                final Map<String, PerformanceReport> windows = reported.get(variant);
                assertThat(sum(windows, PerformanceReport::getPredicted)).as("predictions kept for " + variant).isEqualTo(want.predicted);
                assertThat(weighted(windows, PerformanceReport::getMae)).as("MAE of " + variant).isCloseTo(want.mae(), within(1e-6 * want.mae()));
                assertThat(weighted(windows, PerformanceReport::getBias)).as("bias of " + variant).isCloseTo(want.bias(), within(1e-6 * want.mae()));
                windows.values().stream().filter(w -> w.getLabelled() > 0).forEach(w -> assertThat(w.getLabelLagP50Millis())
                    .as("lag is the delay the labels were sent after").isBetween((double) MIN_DELAY.toMillis(), (double) MAX_DELAY.toMillis()));
            }
            final double v2Prices = expected.get("v2").truthSum / expected.get("v2").labelled;
            assertThat(expected.get("v2").mae()).as("the broken canary's error is about the whole price").isCloseTo(v2Prices - 100, within(1e-6));
            assertThat(weighted(reported.get("v1"), PerformanceReport::getMae)).as("v1 near the linear model's error on its training data")
                .isBetween(0.7 * trainingMae(), 1.5 * trainingMae());
            assertThat(coverage(reported.get("v1"))).isCloseTo(0.3, within(0.05));

            final String metrics = get(restarted, "/metrics");
            await().atMost(PATIENCE).untilAsserted(() -> {
                final String scrape = get(restarted, "/metrics");
                assertThat(counter(scrape, "monitml_labels_total\\{outcome=\"unknown\"\\}")).as("the hostile ids, every one")
                    .isEqualTo(UNKNOWN_IDS);
                assertThat(counter(scrape, "monitml_labels_total\\{outcome=\"mismatch\"\\}")).isEqualTo(MISFITS);
                assertThat(counter(scrape, "monitml_records_dead_lettered_total\\{reason=\"label-shape-mismatch\",stage=\"process\"\\}"))
                    .isEqualTo(MISFITS);
                assertThat(counter(scrape, "monitml_records_dead_lettered_total\\{reason=\"bad-json\",stage=\"decode\"\\}"))
                    .isEqualTo(BROKEN);
                assertThat(counter(scrape, "monitml_records_dead_lettered_total\\{reason=\"bad-time\",stage=\"decode\"\\}"))
                    .isEqualTo(BROKEN);
            });
            assertThat(counter(metrics, "monitml_labels_total\\{outcome=\"duplicate\"\\}")).isZero();
            assertThat(restarted.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(gauge(metrics, "monitml_realized_mae", "v2")).isGreaterThan(10_000.0);
            final JsonNode latest = new ObjectMapper().readTree(get(restarted, "/api/v1/units/seldon/housing/v2/classifier/performance/latest"));
            assertThat(latest.path("minLabels").asLong()).isEqualTo(20);
            assertThat(latest.path("window").path("labelled").asLong()).isGreaterThanOrEqualTo(20);
            assertThat(latest.path("window").path("mae").asDouble()).isGreaterThan(10_000.0);
            // The ingest endpoint and the labels endpoint key by request id, on topics of two partitions each: all met in place.
            assertThat(crossed(restarted.config())).as("records across the join's repartition").isZero();
        }
    }

    /**
     * A labels topic of three partitions beside inputs of two (made by hand before MonitML first ran): a label keyed by its
     * request id is not in the partition of its prediction, so every response and label crosses the join's repartition,
     * and every label still judges its prediction.
     */
    @Test
    void shouldJoinAcrossTheRepartitionWhenTheLabelsTopicHasOtherPartitions() throws Exception {
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dataDir.resolve("broker"), 0, 0)) {
            final MonitMlConfig config = config(runtime.bootstrapServers(), runtime.schemaRegistryUrl());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(config.topics().labels(), 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            final RecordingSink labels = new RecordingSink();
            final SwitchingSink events = new SwitchingSink();
            final Map<String, GeneratedRequest> calls = new HashMap<>();
            final GroundTruth truth = new GroundTruth(0.3, MIN_DELAY, MAX_DELAY, labels, 11);
            final CanaryTrafficGenerator generator = CanaryTrafficGenerator.create(
                TrafficConfig.defaults().withDriftAfter(Duration.ofHours(1)), events).labelledBy(truth);
            try (MonitMlApplication app = MonitMlApplication.start(config, PipelineListener.NONE)) {
                await().atMost(PATIENCE).until(() -> app.state() == KafkaStreams.State.RUNNING);
                connect(app, events, labels);
                play(generator, calls, CALLS_PER_PHASE / 3);
                sendTheLabelsStillDue(generator, truth, events, labels);
                assertThat(labels.labels).hasSizeGreaterThan(CALLS_PER_PHASE / 3 / 5);

                final Map<String, Expected> expected = expected(calls, labels.labels);
                final Map<String, Map<String, PerformanceReport>> reported = awaitEveryLabelJoined(config, expected);
                assertThat(weighted(reported.get("v2"), PerformanceReport::getMae)).isCloseTo(expected.get("v2").mae(),
                    within(1e-6 * expected.get("v2").mae()));
                assertThat(counter(get(app, "/metrics"), "monitml_labels_total\\{outcome=\"unknown\"\\}")).isZero();
                // Each answered response and each label crossed (and a transaction marker per partition per commit that wrote to it).
                assertThat(crossed(config)).isGreaterThanOrEqualTo(calls.size() + labels.labels.size());
            }
        }
    }

    /**
     * The end offsets of the join's repartition topic, summed: 0 when nothing crossed it; else the records that did, and
     * under exactly-once one transaction marker per transaction that wrote to a partition (Kafka Streams deletes the records
     * themselves once consumed).
     */
    private static long crossed(final MonitMlConfig config) throws Exception {
        final String topic = Names.repartitionTopic(config.applicationId(), Names.JOIN_INPUTS_BY_REQUEST_ID);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            final int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < partitions; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(info -> info.offset()).sum();
        }
    }

    private static final int UNKNOWN_IDS = 2_000;
    private static final int BROKEN = 100;
    private static final int MISFITS = 50;

    /**
     * Straight to the labels topic: with no ids, {@value #UNKNOWN_IDS} labels for ids nobody sent (stamped two minutes
     * ago: past their wait at once), {@value #BROKEN} records that are not JSON and {@value #BROKEN} labels an hour
     * ahead of the clock; with ids, a three-number truth for each (their predictions have one row).
     */
    private static void sendHostileLabels(final MonitMlConfig config, final List<String> misfits) throws Exception {
        final Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            config.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
            settings, new StringSerializer(), new StringSerializer())) {
            final String topic = config.topics().labels();
            if (misfits.isEmpty()) {
                final long past = System.currentTimeMillis() - Duration.ofMinutes(2).toMillis();
                final long future = System.currentTimeMillis() + Duration.ofHours(1).toMillis();
                for (int i = 0; i < UNKNOWN_IDS; i++) {
                    producer.send(new ProducerRecord<>(topic, "nobody-" + i,
                        "{\"requestId\":\"nobody-" + i + "\",\"truth\":1,\"time\":" + past + "}"));
                }
                for (int i = 0; i < BROKEN; i++) {
                    producer.send(new ProducerRecord<>(topic, "broken-" + i, "{\"requestId\":"));
                    producer.send(new ProducerRecord<>(topic, "future-" + i,
                        "{\"requestId\":\"future-" + i + "\",\"truth\":1,\"time\":" + future + "}"));
                }
            }
            for (String id : misfits) {
                producer.send(new ProducerRecord<>(topic, id, "{\"requestId\":\"" + id + "\",\"truth\":[1,2,3]}"));
            }
            producer.flush();
        }
    }

    /** Sends the labels that fall due until the last is sent (they come up to {@link #MAX_DELAY} after their call), then stops both senders. */
    private static void sendTheLabelsStillDue(final CanaryTrafficGenerator generator, final GroundTruth truth, final SwitchingSink events,
                                              final RecordingSink labels) throws InterruptedException {
        final long until = System.nanoTime() + MAX_DELAY.plusSeconds(1).toNanos();
        while (System.nanoTime() < until) {
            generator.sendDueLabels();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        events.close();
        labels.close();
        assertThat(truth.pending()).isZero();
    }

    /** The latest report of each window per variant, once the labels joined per variant are as many as were sent. */
    private static Map<String, Map<String, PerformanceReport>> awaitEveryLabelJoined(final MonitMlConfig config,
                                                                                   final Map<String, Expected> expected) {
        final Map<String, Map<String, PerformanceReport>> reported = new HashMap<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            readLatest(config, reported);
            for (String variant : List.of("v1", "v2")) {
                assertThat(sum(reported.get(variant), PerformanceReport::getLabelled)).as("labels joined for " + variant)
                    .isEqualTo(expected.get(variant).labelled);
            }
        });
        return reported;
    }

    /** Routes the events to {@code app}'s ingest endpoint and the labels to its labels endpoint. */
    private static void connect(final MonitMlApplication app, final SwitchingSink events, final RecordingSink labels) {
        final URI base = URI.create("http://127.0.0.1:" + app.httpPort() + "/");
        events.target = new HttpCloudEventSink(base);
        labels.target = new HttpLabelSink(base.resolve(CloudEventIngest.LABELS_PATH), null);
    }

    /** {@code count} calls at about 150 a second, sending the labels that fall due meanwhile. */
    private static void play(final CanaryTrafficGenerator generator, final Map<String, GeneratedRequest> calls, final int count)
        throws InterruptedException {
        for (int i = 0; i < count; i++) {
            final GeneratedRequest call = generator.nextRequest();
            calls.put(call.requestId(), call);
            if (i % 3 == 2) {
                generator.sendDueLabels();
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    private static final class Expected {
        long predicted;
        long labelled;
        double absoluteErrors;
        double errors;
        double truthSum;

        double mae() {
            return absoluteErrors / labelled;
        }

        double bias() {
            return errors / labelled;
        }
    }

    /** Per variant, the test's own sums over the calls made and the labels sent. */
    private static Map<String, Expected> expected(final Map<String, GeneratedRequest> calls, final List<Label> labels) {
        final Map<String, Expected> expected = new HashMap<>();
        calls.values().forEach(call -> expected.computeIfAbsent(call.endpoint(), v -> new Expected()).predicted += call.predictions().length);
        for (Label label : labels) {
            final GeneratedRequest call = calls.get(label.requestId());
            final double[] truths = label.vector() != null ? label.vector() : new double[] {label.number()};
            final Expected sums = expected.get(call.endpoint());
            for (int row = 0; row < truths.length; row++) {
                final double error = call.predictions()[row] - truths[row];
                sums.labelled++;
                sums.absoluteErrors += Math.abs(error);
                sums.errors += error;
                sums.truthSum += truths[row];
            }
        }
        return expected;
    }

    private static double trainingMae() {
        final BostonHousing data = BostonHousing.load();
        final LinearModel model = LinearModel.fit(data);
        final double[] medv = data.medv();
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            sum += Math.abs(model.predict(data.row(i)) - medv[i]) * 1000;
        }
        return sum / data.size();
    }

    /** The latest report of each window, per variant, read from the start of the compacted topic. */
    private static void readLatest(final MonitMlConfig config, final Map<String, Map<String, PerformanceReport>> into) {
        final Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.GROUP_ID_CONFIG, "truth-it-" + System.nanoTime());
        try (KafkaConsumer<String, PerformanceReport> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
            new AvroDeserializer<>(PerformanceReport.class, new SchemaRegistryClient(config.schemaRegistryUrl()), false))) {
            consumer.subscribe(Set.of(config.topics().performance()));
            into.clear();
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, PerformanceReport> record : consumer.poll(Duration.ofMillis(200))) {
                    into.computeIfAbsent(record.value().getUnit().getVariant(), v -> new HashMap<>()).put(record.key(), record.value());
                }
                return !consumer.assignment().isEmpty()
                    && consumer.assignment().stream().allMatch(p -> consumer.position(p) >= consumer.endOffsets(Set.of(p)).get(p));
            });
        }
    }

    private static long sum(final Map<String, PerformanceReport> windows, final java.util.function.ToLongFunction<PerformanceReport> count) {
        return windows == null ? 0 : windows.values().stream().mapToLong(count).sum();
    }

    /** A per-window mean weighted by the window's labels: the mean over every label. */
    private static double weighted(final Map<String, PerformanceReport> windows,
                                   final java.util.function.Function<PerformanceReport, Double> mean) {
        double sum = 0;
        long labelled = 0;
        for (PerformanceReport window : windows.values()) {
            if (window.getLabelled() > 0) {
                sum += mean.apply(window) * window.getLabelled();
                labelled += window.getLabelled();
            }
        }
        return sum / labelled;
    }

    private static double coverage(final Map<String, PerformanceReport> windows) {
        return (double) sum(windows, PerformanceReport::getLabelled) / sum(windows, PerformanceReport::getPredicted);
    }

    private static String get(final MonitMlApplication app, final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double counter(final String metrics, final String series) {
        final Matcher matcher = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    private static double gauge(final String metrics, final String name, final String variant) {
        final Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*variant=\"" + variant + "\"[^}]*\\} (\\S+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }
}
