package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.avro.PredictionStats;
import io.monitml.demo.DemoBaseline;
import io.monitml.embedded.EmbeddedKafka;

/**
 * The faults of ARCHITECTURE.md's guarantees, on the real broker, with the packaged application in
 * JVMs of its own: killed with SIGKILL in the middle of a stream and restarted, and running while
 * the broker is stopped and restarted on its own data. Each faulted run reads the same records,
 * at the same pace, as an uninterrupted run; every window both close must have the same
 * statistics and drift report (exactly-once: nothing lost, nothing counted twice), each published
 * once, and every input record must be accounted for as decoded or dead-lettered.
 *
 * <p>The grace period (30 s of event time) is longer than the backlog a fault leaves (the
 * downtime, about 10 s of wall-clock time, times the pace of 1.5): a backlog longer than the
 * grace would make the latency samples of its first windows late, which is the documented
 * behaviour, not a loss this test is about.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration SPAN = Duration.ofSeconds(60);
    private static final int CALLS_PER_SECOND = 25;
    private static final double PACE = 1.5;
    /** Windows ending this long before the last event's time minus the grace are closed in every run. */
    private static final Duration MARGIN = Duration.ofSeconds(4);
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String BASELINES = "fault.baselines";
    /** The broker stays down until the application's consumer has lost its connection and failed to reconnect this often. */
    private static final int RECONNECTS = 12;
    private static final List<String> VARIANTS = List.of("v1", "v2");

    private Path dir;

    private BrokerAndRegistry cluster;
    private int brokerPort;
    private Instant start;
    private ScriptedTraffic traffic;
    private List<String> compared;
    private RunResults reference;

    @BeforeAll
    void startBrokerAndRegistry(@TempDir final Path tempDir) throws Exception {
        dir = tempDir;
        cluster = BrokerAndRegistry.start(dir.resolve("broker"), EmbeddedKafka.Options.plaintext(0));
        brokerPort = Integer.parseInt(cluster.bootstrapServers().substring(cluster.bootstrapServers().lastIndexOf(':') + 1));
        start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
        traffic = ScriptedTraffic.generate(start, SPAN, CALLS_PER_SECOND, WINDOW, Duration.ofSeconds(14));
        compared = new ArrayList<>();
        for (Instant window = start; !window.plus(WINDOW).plus(GRACE).plus(MARGIN).isAfter(start.plus(SPAN)); window = window.plus(WINDOW)) {
            for (String variant : VARIANTS) {
                compared.add(ScriptedTraffic.key(variant, window));
            }
        }
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("in.calm", 1, (short) 1), new NewTopic("in.crash", 1, (short) 1),
                new NewTopic("in.restart", 1, (short) 1),
                new NewTopic(BASELINES, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all().get();
        }
        cluster.publishDemoBaseline(BASELINES, start.minus(Duration.ofDays(1)));
    }

    @AfterAll
    void stopBrokerAndRegistry() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldLoseNothingAndCountNothingTwiceWhenKilledInTheMiddleOfTheStream() throws Exception {
        final RunResults crashed;
        try (ChildApplication calm = launch("calm", 1).awaitReady()) {
            ChildApplication crash = launch("crash", 1).awaitReady();
            try {
                final ScriptedTraffic.Playback playback = traffic.play(cluster.bootstrapServers(), List.of("in.calm", "in.crash"), PACE);
                await().atMost(PATIENCE).until(() -> !read("crash", Set.of()).stats().isEmpty());
                assertThat(playback.player().isAlive()).as("the traffic is still flowing when the application is killed").isTrue();
                final int publishedBeforeKill = read("crash", Set.of()).stats().size();
                crash.kill();
                final long killedAt = System.nanoTime();
                crash = launch("crash", 2);
                crash.awaitReady();
                final long downMillis = (System.nanoTime() - killedAt) / 1_000_000;
                playback.await(PATIENCE);

                reference = awaitAllWindows(calm, "calm");
                crashed = awaitAllWindows(crash, "crash");
                report("crash: SIGKILL after %d window results were published; the restarted process was ready %d ms later and"
                    + " re-read %.0f of %d records; %d windows equal to the uninterrupted run's; %d dead letters, as many as"
                    + " were malformed", publishedBeforeKill, downMillis, crash.metric("monitml_records_in_total"), traffic.records(),
                    compared.size(), crashed.deadLetterCount());
            } finally {
                crash.close();
            }
        }
        assertComplete(reference);
        assertSameResults(crashed, reference);
    }

    @Test
    @Order(2)
    void shouldRecoverByItselfWhenTheBrokerRestartsOnItsOwnData() throws Exception {
        assertThat(reference).as("the uninterrupted run of the crash test, the reference").isNotNull();
        final RunResults restarted;
        try (ChildApplication app = launch("restart", 1).awaitReady()) {
            final ScriptedTraffic.Playback playback = traffic.play(cluster.bootstrapServers(), List.of("in.restart"), PACE);
            await().atMost(PATIENCE).until(() -> !read("restart", Set.of()).stats().isEmpty());
            assertThat(playback.player().isAlive()).as("the traffic is still flowing when the broker stops").isTrue();
            final Path data = cluster.broker().logDir();
            final String streamThread = "StreamThread-1-consumer";
            final double closedBefore = app.metric("kafka_consumer_connection_close_total", streamThread);
            final long stoppedAt = System.nanoTime();
            cluster.broker().close();
            await("the application's consumer lost its connection and failed to reconnect").atMost(PATIENCE)
                .until(() -> app.metric("kafka_consumer_connection_close_total", streamThread) >= closedBefore + RECONNECTS);
            cluster.replaceBroker(EmbeddedKafka.start(data, brokerPort));
            final long downMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
            playback.await(PATIENCE);

            restarted = awaitAllWindows(app, "restart");
            assertThat(app.log()).as("the same process recovered: it was started once").containsOnlyOnce("HTTP on http://");
            report("broker restart: broker down %d ms while the application ran; %d windows equal to the uninterrupted run's;"
                + " %d of %d records dead-lettered, as many as were malformed", downMillis, compared.size(),
                restarted.deadLetterCount(), traffic.records());
        }
        assertSameResults(restarted, reference);
    }

    /** The figures docs/reliability.md quotes, in the test's output. */
    private static void report(final String format, final Object... arguments) {
        System.out.println("FaultToleranceIT " + String.format(java.util.Locale.ROOT, format, arguments));
    }

    private ChildApplication launch(final String run, final int attempt) {
        return ChildApplication.start(dir.resolve(run + "-" + attempt + ".log"), List.of(
            "--bootstrap-servers", cluster.bootstrapServers(), "--schema-registry-url", cluster.registryUrl(),
            "--application-id", "fault-" + run, "--data-dir", dir.resolve("data-" + run).toString(),
            "--http-host", "127.0.0.1", "--http-port", "0", "--ingest", "false", "--seldon-v2-prefix", "",
            "--raw-topic", "in." + run, "--dead-letter-topic", "dead-letters." + run, "--prediction-stats-topic", "stats." + run,
            "--drift-topic", "drift." + run, "--inferences-topic", "inferences." + run, "--baselines-topic", BASELINES,
            "--window", WINDOW.toSeconds() + "s", "--grace", GRACE.toSeconds() + "s", "--flush-interval", "200ms",
            "--min-rows", "10", "--topic-partitions", "1",
            // A killed instance leaves its group after the session timeout: the broker's least, not Kafka's 45 s.
            "--kafka", "session.timeout.ms=6000", "--kafka", "heartbeat.interval.ms=1500", "--kafka", "commit.interval.ms=200"));
    }

    /** Waits until the run has read every record and published every compared window, then checks its accounting. */
    private RunResults awaitAllWindows(final ChildApplication app, final String run) {
        await().atMost(PATIENCE).until(() -> consumedEverything(run));
        final RunResults results = read(run, Set.copyOf(compared));
        assertThat(results.stats().keySet()).as("statistics of %s", run).containsAll(compared);
        assertThat(results.drift().keySet()).as("drift reports of %s", run).containsAll(compared);
        assertThat(results.repeated()).as("windows %s published more than once", run).isEmpty();
        assertThat(results.deadLetterCount()).as("dead letters of %s", run).isEqualTo(traffic.malformed());

        // The accounting invariant of the process that finished the run (a restarted one counts from its restart).
        final double in = app.metric("monitml_records_in_total");
        final double decoded = app.metric("monitml_records_decoded_total");
        final double deadLettered = app.metric("monitml_records_dead_lettered_total", "stage=\"decode\"");
        assertThat(in).as("records read by %s", run).isPositive().isEqualTo(decoded + deadLettered);
        assertThat(app.metric("monitml_records_unaccounted")).isZero();
        assertThat(app.metric("monitml_records_late_total")).as("late records in %s", run).isZero();
        return results;
    }

    /** The run's group has committed the end of its input topic: every record was processed, its results committed. */
    private boolean consumedEverything(final String run) throws Exception {
        try (Admin admin = cluster.admin()) {
            final TopicPartition input = new TopicPartition("in." + run, 0);
            final OffsetAndMetadata committed = admin.listConsumerGroupOffsets("fault-" + run).partitionsToOffsetAndMetadata().get()
                .get(input);
            final long end = admin.listOffsets(Map.of(input, OffsetSpec.latest())).partitionResult(input).get().offset();
            return committed != null && committed.offset() >= end && end >= traffic.records();
        }
    }

    /** The run's outputs so far; with {@code until} non-empty, polls until every key in it is there. */
    private RunResults read(final String run, final Set<String> until) {
        return RunResults.read(cluster.bootstrapServers(), cluster.registryUrl(), RunResults.Topics.of(run), until, PATIENCE);
    }

    /** The uninterrupted run counted every response and prediction the traffic made in each compared window. */
    private void assertComplete(final RunResults results) {
        for (String key : compared) {
            final PredictionStats stats = results.stats().get(key);
            final long[] expected = traffic.expected(stats.getUnit().getVariant(), stats.getWindowStart());
            assertThat(new long[] {stats.getResponses(), stats.getCount()}).as("responses and predictions in %s", key)
                .containsExactly(expected);
        }
    }

    private void assertSameResults(final RunResults actual, final RunResults expected) {
        assertThat(actual.differencesFrom(expected, compared)).as("differences from the uninterrupted run over %d windows", compared.size())
            .isEmpty();
    }
}
