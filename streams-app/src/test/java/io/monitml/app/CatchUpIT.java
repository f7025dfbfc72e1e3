package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
import io.monitml.ingest.CloudEventAttributes;

/**
 * After an outage the numbers are true: live traffic (event time = the clock) on a topic of
 * several partitions goes on while MonitML is down for more than six windows; the restarted
 * instance catches up, each partition at its own pace, and every window, those of the outage
 * included, must be reported once with exactly what was sent, nothing healthy counted late.
 * Windows close on the watermark (the slowest active partition's progress), not on Kafka Streams'
 * stream time (the fastest partition's), and each partial stage goes on from the progress it
 * announced, not from a record's clock: a far-future record before the stop (dead-lettered) used to
 * make the whole backlog of its partition late.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatchUpIT {

    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** The outage: traffic piles up for this long, at least six windows, before the application starts again. */
    private static final Duration OUTAGE = WINDOW.multipliedBy(7);
    private static final Duration SPAN = Duration.ofSeconds(40);
    private static final int CALLS_PER_SECOND = 20;
    private static final int PARTITIONS = 3;
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final String BASELINES = "catch-up.baselines";

    private Path dir;
    private BrokerAndRegistry cluster;

    @BeforeAll
    void startBrokerAndRegistry(@TempDir final Path tempDir) throws Exception {
        dir = tempDir;
        cluster = BrokerAndRegistry.start(dir.resolve("broker"), EmbeddedKafka.Options.plaintext(0));
        cluster.createInputsAndDemoBaseline(BASELINES, PARTITIONS, "in.kill", "in.rolling");
    }

    @AfterAll
    void stopBrokerAndRegistry() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldReportEveryWindowOfTheBacklogWhenKilledAfterAFarFutureRecord() throws Exception {
        final String run = "kill";
        ChildApplication app = launch(run, 1).awaitReady();
        final ScriptedTraffic traffic = liveTraffic();
        try {
            final ScriptedTraffic.Playback playback = traffic.play(cluster.bootstrapServers(), List.of("in." + run), 1.0, PARTITIONS);
            await().atMost(PATIENCE).until(() -> !read(run, Set.of()).stats().isEmpty());
            // An inference of another unit, paired before the kill: its response comes again after the restart.
            final String requestId = UUID.randomUUID().toString();
            send("in." + run, SeldonEvent.REQUEST_TYPE, requestId);
            final RecordMetadata paired = send("in." + run, SeldonEvent.RESPONSE_TYPE, requestId);
            await().atMost(PATIENCE).until(() -> committed(run, new TopicPartition("in." + run, paired.partition())) > paired.offset());
            // A pod whose clock is 50 minutes ahead: dead-lettered, and processed and committed before the kill.
            final RecordMetadata future = sendFromTheFuture("in." + run);
            await().atMost(PATIENCE).until(() -> committed(run, new TopicPartition("in." + run, future.partition())) > future.offset());
            assertThat(playback.player().isAlive()).as("the traffic is still flowing when the application is killed").isTrue();
            app.kill();
            final Instant down = Instant.now();
            awaitOutage(down);
            app = launch(run, 2).awaitReady();
            final Duration backlog = Duration.between(down, Instant.now());
            assertThat(backlog).as("the backlog spans at least six windows").isGreaterThanOrEqualTo(WINDOW.multipliedBy(6));
            playback.await(PATIENCE);
            send("in." + run, SeldonEvent.RESPONSE_TYPE, requestId);
            final ChildApplication restarted = app;
            await("the late duplicate recognised").atMost(PATIENCE)
                .until(() -> restarted.metric("monitml_duplicate_events_total", "side=\"response\"") >= 1);
            final List<String> compared = compared(traffic);
            final RunResults results = awaitAllWindows(run, traffic, compared, List.of(app));
            assertThat(app.metric("monitml_duplicate_events_total")).as("duplicates after the restart: the one sent").isEqualTo(1.0);
            assertThat(results.deadLetterCount()).as("dead letters: the malformed records and the far-future one")
                .isEqualTo(traffic.malformed() + 1L);
            report("kill: %d windows exact after SIGKILL with %d s of backlog (%d windows) on %d partitions", compared.size() / 2,
                backlog.toSeconds(), backlog.toMillis() / WINDOW.toMillis(), PARTITIONS);
        } finally {
            app.close();
        }
    }

    @Test
    void shouldReportEveryWindowWhenStoppedGracefullyAndASecondInstanceJoinsDuringCatchUp() throws Exception {
        final String run = "rolling";
        ChildApplication first = launch(run, 1).awaitReady();
        final ScriptedTraffic traffic = liveTraffic();
        ChildApplication second = null;
        try {
            final ScriptedTraffic.Playback playback = traffic.play(cluster.bootstrapServers(), List.of("in." + run), 1.0, PARTITIONS);
            await().atMost(PATIENCE).until(() -> !read(run, Set.of()).stats().isEmpty());
            assertThat(playback.player().isAlive()).as("the traffic is still flowing when the application stops").isTrue();
            first.close();
            final Instant down = Instant.now();
            awaitOutage(down);
            first = launch(run, 2).awaitReady();
            // The second instance joins while the first catches up: tasks move to it mid-backlog.
            second = launch(run, 3).awaitReady();
            await("both instances hold tasks").atMost(PATIENCE).until(() -> cluster.assignedMembers("catch-up-" + run) == 2);
            playback.await(PATIENCE);
            final List<String> compared = compared(traffic);
            awaitAllWindows(run, traffic, compared, List.of(first, second));
            report("rolling: %d windows exact after SIGTERM, %d s down, a second instance joining during catch-up",
                compared.size() / 2, Duration.between(down, Instant.now()).toSeconds());
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /**
     * The demo's canary traffic with event times from now on, played at the clock's pace: made once
     * the application is up, so that its event times are the clock's (the other events the tests
     * send are stamped with the clock too, and an input partition's events are in time order).
     */
    private static ScriptedTraffic liveTraffic() {
        final Instant start = ScriptedTraffic.windowStart(Instant.now().plus(WINDOW), WINDOW);
        return ScriptedTraffic.generate(start, SPAN, CALLS_PER_SECOND, WINDOW, Duration.ofDays(1));
    }

    /** Lets the traffic pile up while the application is down: the outage is the scenario, not a wait for a condition. */
    private static void awaitOutage(final Instant down) {
        await().pollInterval(Duration.ofMillis(200)).atMost(OUTAGE.plusSeconds(5)).until(() -> Instant.now().isAfter(down.plus(OUTAGE)));
    }

    /** Every whole window of the traffic that has closed once its last event has come, for both variants. */
    private static List<String> compared(final ScriptedTraffic traffic) {
        final List<String> keys = new ArrayList<>();
        final Instant end = traffic.start().plus(SPAN);
        for (Instant window = traffic.start(); !window.plus(WINDOW).plus(GRACE).plus(WINDOW).isAfter(end); window = window.plus(WINDOW)) {
            keys.add(ScriptedTraffic.key("v1", window));
            keys.add(ScriptedTraffic.key("v2", window));
        }
        return keys;
    }

    /**
     * Waits until the run has read all its input and published every compared window; each must
     * hold exactly the responses and predictions sent in it, be published once, and no instance may
     * have counted a record late.
     */
    private RunResults awaitAllWindows(final String run, final ScriptedTraffic traffic, final List<String> compared,
                                       final List<ChildApplication> apps) throws Exception {
        await().atMost(PATIENCE).until(() -> consumedEverything(run, traffic));
        final RunResults results = read(run, Set.copyOf(compared));
        assertThat(results.repeated()).as("windows published more than once").isEmpty();
        final List<String> wrong = new ArrayList<>();
        for (String key : compared) {
            final PredictionStats stats = results.stats().get(key);
            final long[] sent = traffic.expected(stats.getUnit().getVariant(), stats.getWindowStart());
            if (stats.getResponses() != sent[0] || stats.getCount() != sent[1]) {
                wrong.add(key + ": " + stats.getResponses() + " responses of " + sent[0] + ", " + stats.getCount() + " predictions of " + sent[1]);
            }
        }
        assertThat(wrong).as("windows whose statistics differ from what was sent, of %d", compared.size()).isEmpty();
        assertThat(results.drift().keySet()).as("drift reports").containsAll(compared);
        for (ChildApplication app : apps) {
            assertThat(app.metric("monitml_records_late_total")).as("records counted late").isZero();
        }
        return results;
    }

    private boolean consumedEverything(final String run, final ScriptedTraffic traffic) throws Exception {
        try (Admin admin = cluster.admin()) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("catch-up-" + run)
                .partitionsToOffsetAndMetadata().get();
            long total = 0;
            for (int partition = 0; partition < PARTITIONS; partition++) {
                final TopicPartition input = new TopicPartition("in." + run, partition);
                final long end = admin.listOffsets(Map.of(input, OffsetSpec.latest())).partitionResult(input).get().offset();
                final OffsetAndMetadata offset = committed.get(input);
                if (offset == null || offset.offset() < end) {
                    return false;
                }
                total += end;
            }
            return total >= traffic.records();
        }
    }

    private long committed(final String run, final TopicPartition partition) throws Exception {
        try (Admin admin = cluster.admin()) {
            final OffsetAndMetadata offset = admin.listConsumerGroupOffsets("catch-up-" + run).partitionsToOffsetAndMetadata().get()
                .get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }

    /** A request or response of another unit ({@code duplicates}), at the clock's time, to partition 0. */
    private RecordMetadata send(final String topic, final String type, final String requestId) throws Exception {
        final SeldonEvent event = new SeldonEvent(type, UUID.randomUUID().toString(), requestId, "seldon", "duplicates", "v1",
            "classifier", Instant.now(), SeldonEvent.JSON, (type.equals(SeldonEvent.REQUEST_TYPE)
            ? "{\"data\":{\"names\":[\"rm\"],\"ndarray\":[[6.5]]}}" : "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[1.0]]}}")
            .getBytes(StandardCharsets.UTF_8));
        final ProducerRecord<byte[], byte[]> record = KafkaCloudEventSink.toRecord(topic, event);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, 0, record.timestamp(), record.key(), record.value(), record.headers())).get();
        }
    }

    /** A response of another unit without ce_time, as the direct Kafka logger writes it, stamped by a clock 50 minutes ahead. */
    private RecordMetadata sendFromTheFuture(final String topic) throws Exception {
        final Instant ahead = Instant.now().plus(Duration.ofMinutes(50));
        final SeldonEvent event = new SeldonEvent(SeldonEvent.RESPONSE_TYPE, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
            "seldon", "other", "v1", "classifier", ahead, SeldonEvent.JSON,
            "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[1.0]]}}".getBytes(StandardCharsets.UTF_8));
        final ProducerRecord<byte[], byte[]> record = KafkaCloudEventSink.toRecord(topic, event);
        final RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(header -> {
            if (!header.key().equals(CloudEventAttributes.kafkaHeader(CloudEventAttributes.TIME))) {
                headers.add(header);
            }
        });
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, 0, ahead.toEpochMilli(), record.key(), record.value(), headers)).get();
        }
    }

    private RunResults read(final String run, final Set<String> until) {
        return RunResults.read(cluster.bootstrapServers(), cluster.registryUrl(), RunResults.Topics.of(run), until, PATIENCE);
    }

    private ChildApplication launch(final String run, final int attempt) {
        return ChildApplication.start(dir.resolve(run + "-" + attempt + ".log"), List.of(
            "--bootstrap-servers", cluster.bootstrapServers(), "--schema-registry-url", cluster.registryUrl(),
            "--application-id", "catch-up-" + run, "--data-dir", dir.resolve("data-" + run + (attempt == 3 ? "-second" : "")).toString(),
            "--http-host", "127.0.0.1", "--http-port", "0", "--ingest", "false", "--seldon-v2-prefix", "",
            "--raw-topic", "in." + run, "--dead-letter-topic", "dead-letters." + run, "--prediction-stats-topic", "stats." + run,
            "--drift-topic", "drift." + run, "--inferences-topic", "inferences." + run, "--baselines-topic", BASELINES,
            "--window", WINDOW.toSeconds() + "s", "--grace", GRACE.toSeconds() + "s", "--flush-interval", "200ms",
            "--min-rows", "10", "--topic-partitions", "1",
            "--kafka", "session.timeout.ms=6000", "--kafka", "heartbeat.interval.ms=1500", "--kafka", "commit.interval.ms=200",
            // Tasks move to a joining instance at once (restoring there), not after a warm-up replica has caught up.
            "--kafka", "acceptable.recovery.lag=100000000"));
    }

    /** The figures docs/reliability.md quotes, in the test's output. */
    private static void report(final String format, final Object... arguments) {
        System.out.println("CatchUpIT " + String.format(java.util.Locale.ROOT, format, arguments));
    }
}
