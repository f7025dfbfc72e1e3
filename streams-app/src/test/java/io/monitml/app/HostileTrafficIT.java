package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.demo.DemoBaseline;
import io.monitml.demo.GeneratedRequest;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.SeldonEvent;
import io.monitml.embedded.EmbeddedKafka;

/**
 * The monitor never goes blind: two instances of the packaged application read the same healthy
 * canary traffic, the demo's, posted live to their ingest endpoints; one of them also gets, over
 * HTTP and from a plain producer on its Kafka input topics, everything issue 15 found to silence
 * it: image-sized tensors and a 1 MB body, clocks 55 minutes, 2 hours and a millennium ahead and
 * before 1970 (in {@code Ce-Time} and in the direct logger's record timestamp), 55 bytes declaring
 * 65,536 rows, identities with slashes, thousands of new units and categories, 100 slow
 * connections, oversized headers and absurd query durations. The broker accepts any timestamp, as
 * MSK 3.6 does by default.
 *
 * <p>The healthy units' windows of the attacked instance must equal the calm one's field by field,
 * close on time throughout, and the attacked instance must account for every record (each hostile
 * one in exactly one dead-letter reason), never fail a stream task, stay within its heap, and
 * answer {@code /health/live} within a second all along.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileTrafficIT {

    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration FLUSH = Duration.ofMillis(200);
    private static final Duration SPAN = Duration.ofSeconds(60);
    private static final int CALLS_PER_SECOND = 25;
    private static final int MAX_UNITS = 40;
    private static final int FLOOD_UNITS = 1_500;
    /** The feature-drift aggregation's label: the flood sends requests only. */
    private static final String FEATURES = "aggregation=\"feature-drift\"";
    private static final String HEAP = "256m";
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** The instances' --http-read-timeout: the slow senders are closed this long after their first byte, during the attack. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final String BASELINES = "hostile.baselines";
    /**
     * How far the newest closed window of a healthy unit may end behind the clock, on either
     * instance: the window, its grace and the flush interval, and 5 s more. Both instances share
     * this machine's two cores with the broker and the attack, so the load moves both; the calm
     * instance has ended 0.3 to 1.6 s past window + grace + flush in these runs, the attacked one up
     * to 3.2 s past it.
     */
    static final Duration MAX_LAG = WINDOW.plus(GRACE).plus(FLUSH).plusMillis(5_000);
    /** What the attack may add to the healthy units' window lag, over the calm instance's in the same run. */
    static final Duration ATTACK_LAG = Duration.ofMillis(2_500);
    private static final Pattern WINDOW_CLOSED = Pattern.compile(
        "(?m)^monitml_window_closed_seconds\\{deployment=\"housing\",model=\"classifier\",namespace=\"seldon\",variant=\"(v1|v2)\"} (\\S+)$");
    private static final Pattern WINDOW_END = Pattern.compile(
        "(?m)^monitml_window_end_seconds\\{deployment=\"housing\",model=\"classifier\",namespace=\"seldon\",variant=\"(v1|v2)\"} (\\S+)$");

    /** The instances' logs, kept after the run for a failure's reader. */
    private static final Path LOGS = Path.of("target", "HostileTrafficIT");

    private Path dir;
    private BrokerAndRegistry cluster;

    @BeforeAll
    void startBrokerAndRegistry(@TempDir final Path tempDir) throws Exception {
        dir = tempDir;
        java.nio.file.Files.createDirectories(LOGS);
        for (String run : List.of("calm", "attacked")) {
            java.nio.file.Files.deleteIfExists(LOGS.resolve(run + ".log"));
        }
        // As Amazon MSK 3.6 by default (the Terraform default): the broker refuses no timestamp, however far ahead.
        cluster = BrokerAndRegistry.start(dir.resolve("broker"), EmbeddedKafka.Options.plaintext(0)
            .withBrokerProperty("log.message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE)));
        try (Admin admin = admin()) {
            final List<NewTopic> topics = new ArrayList<>();
            for (String run : List.of("calm", "attacked")) {
                topics.add(new NewTopic("in." + run, 1, (short) 1));
                topics.add(new NewTopic("v1." + run, 1, (short) 1));
            }
            topics.add(new NewTopic(BASELINES, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            admin.createTopics(topics).all().get();
        }
        cluster.publishDemoBaseline(BASELINES, Instant.now().minus(Duration.ofDays(1)));
    }

    @AfterAll
    void stopBrokerAndRegistry() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldLeaveTheHealthyUnitsAloneWhateverOtherSendersDo() throws Exception {
        try (ChildApplication calm = launch("calm"); ChildApplication attacked = launch("attacked")) {
            calm.awaitReady();
            attacked.awaitReady();
            final double tasksClosedBefore = attacked.metric("kafka_stream_thread_task_closed_total");
            final Instant start = nextWindow(Instant.now().plusSeconds(2));
            final List<GeneratedRequest> calls = ScriptedTraffic.calls(start, SPAN.toSeconds() * CALLS_PER_SECOND,
                Duration.ofSeconds(1).dividedBy(CALLS_PER_SECOND), Duration.ofSeconds(30));
            final Watch watch = new Watch(attacked, start.plus(WINDOW).plus(GRACE).plus(FLUSH).plusSeconds(1), start.plus(SPAN));
            final Watch calmWatch = new Watch(calm, start.plus(WINDOW).plus(GRACE).plus(FLUSH).plusSeconds(1), start.plus(SPAN));
            final Thread calmProbes = calmWatch.start();
            final HealthyPlayer toCalm = new HealthyPlayer(calm.port(), calls);
            final HealthyPlayer toAttacked = new HealthyPlayer(attacked.port(), calls);
            final Thread probes = watch.start();
            toCalm.start();
            toAttacked.start();
            final Attack attack;
            try (HostileTraffic hostile = new HostileTraffic(attacked.port(), cluster.bootstrapServers(), "in.attacked", "v1.attacked")) {
                attack = attack(hostile, attacked, start);
                toCalm.await();
                toAttacked.await();
                // The last windows close once stream time passes them: one more healthy call a window later does it.
                final Instant after = start.plus(SPAN).plus(WINDOW).plus(GRACE).plusSeconds(1);
                toCalm.closeWith(after);
                toAttacked.closeWith(after);
            } finally {
                watch.stop();
                calmWatch.stop();
                probes.join(10_000);
                calmProbes.join(10_000);
            }

            final List<String> compared = compared(start);
            await().atMost(PATIENCE).until(() -> consumedEverything("calm") && consumedEverything("attacked"));
            final RunResults reference = results("calm", compared);
            final RunResults results = results("attacked", compared);

            report("%d healthy calls posted to each instance, %d hostile records and events beside them; %d windows compared",
                calls.size(), attack.hostile().sent(), compared.size());
            report("/health/live answered %d probes, the slowest in %d ms; %d failed or took longer than 1 s",
                watch.probes.get(), watch.slowestProbeMillis.get(), watch.failedProbes.get());
            report("the healthy units' newest closed window ended at most %d ms before the clock; on the calm instance %d ms (bound"
                + " %d ms each, the attack's share at most %d ms); window + grace + flush is %d ms", watch.maxLagMillis.get(),
                calmWatch.maxLagMillis.get(), MAX_LAG.toMillis(), ATTACK_LAG.toMillis(), WINDOW.plus(GRACE).plus(FLUSH).toMillis());
            report("a healthy unit last closed a window at most %d ms before a scrape (window + grace + flush %d ms); on the calm"
                + " instance %d ms", watch.maxClosedAgoMillis.get(), WINDOW.plus(GRACE).plus(FLUSH).toMillis(),
                calmWatch.maxClosedAgoMillis.get());
            report("heap in use at most %d MiB of %s; dead letters %s", watch.maxHeapBytes.get() >> 20, HEAP, results.deadLetters());
            report("stream tasks closed before the traffic %.0f (calm %.0f), after %.0f (calm %.0f)", tasksClosedBefore,
                calm.metric("kafka_stream_thread_task_closed_total"), attacked.metric("kafka_stream_thread_task_closed_total"),
                calm.metric("kafka_stream_thread_task_closed_total"));
            report("the slowest commit took %d ms on the attacked instance, %d ms on the calm one", watch.maxCommitMillis.get(),
                calmWatch.maxCommitMillis.get());
            report("%d slow connections, %d closed by the server while dripping, the first seen after %s; oversized header: %s",
                attack.slowConnections(), attack.slowClosed(), attack.firstSlowClosed(), attack.oversizedHeader());

            assertThat(compared).as("windows compared: 2 variants over the 60 s of traffic").hasSize(60);
            assertThat(toCalm.refused()).as("healthy posts to the calm instance not answered 202").isEmpty();
            assertThat(toAttacked.refused()).as("healthy posts to the attacked instance not answered 202").isEmpty();
            assertThat(reference.repeated()).isEmpty();
            assertThat(results.repeated()).as("windows published more than once").isEmpty();
            assertThat(reference.deadLetters()).as("the calm instance's dead letters").isEmpty();
            assertThat(results.differencesFrom(reference, compared)).as("the healthy windows of the attacked instance against the calm one's")
                .isEmpty();
            assertThat(results.deadLetters()).as("every hostile record in exactly one dead-letter reason")
                .isEqualTo(attack.hostile().expectedDeadLetters());
            assertAnswers(attack);
            assertThat(attack.slowConnections()).isEqualTo(Integer.getInteger("hostile.slow", 100));
            assertThat(attack.slowClosed()).as("slow connections the server closed").isEqualTo(attack.slowConnections());
            assertThat(attack.firstSlowClosed()).as("the first slow connection closed: not before the read timeout, and within two drips")
                .isBetween(READ_TIMEOUT, READ_TIMEOUT.plusSeconds(6));

            assertThat(watch.failedProbes.get()).as("probes of /health/live that failed or took over 1 s").isZero();
            assertThat(watch.probes.get()).isGreaterThan(100);
            assertThat(watch.lagSamples.get()).isGreaterThan(50);
            assertThat(Duration.ofMillis(watch.maxClosedAgoMillis.get()))
                .as("how long ago a healthy unit last closed a window (its monitml_window_closed_seconds)")
                .isLessThanOrEqualTo(WINDOW.plus(GRACE).plus(FLUSH));
            assertThat(Duration.ofMillis(watch.maxLagMillis.get())).as("the healthy units' window lag").isLessThanOrEqualTo(MAX_LAG);
            assertThat(Duration.ofMillis(calmWatch.maxLagMillis.get())).as("the calm instance's window lag").isLessThanOrEqualTo(MAX_LAG);
            assertThat(Duration.ofMillis(watch.maxLagMillis.get() - calmWatch.maxLagMillis.get()))
                .as("what the attack added to the healthy units' window lag").isLessThanOrEqualTo(ATTACK_LAG);
            assertThat(calmWatch.failedProbes.get()).isZero();
            assertThat(watch.notReady.get()).as("scrapes while Kafka Streams was not RUNNING").isZero();
            assertAccounted(attacked);
            assertAccounted(calm);
            assertThat(attacked.metric("monitml_records_dropped_total")).as("results dropped as too large").isZero();
            assertThat(attacked.metric("monitml_units_monitored", FEATURES)).as("the two with a baseline and half the places")
                .isEqualTo(2 + MAX_UNITS / 2);
            assertThat(attacked.metric("monitml_features_dropped_total")).as("columns of the wide tensors left out").isPositive();
            assertThat(attacked.log()).as("the attacked instance's log: no failed stream thread, no aborted task, no lost heap")
                .doesNotContain("A stream thread failed").doesNotContain("TaskCorruptedException").doesNotContain("OutOfMemoryError")
                .doesNotContain("Not a unit key");
            assertThat(attacked.log()).containsOnlyOnce("HTTP on http://");
            assertThat(attacked.isAlive()).as("the attacked instance is alive, within its %s heap", HEAP).isTrue();
            assertThat(watch.maxHeapBytes.get()).as("heap in use").isLessThan(160L << 20);
            assertThat(attacked.metric("kafka_stream_failed_stream_threads_total")).as("failed stream threads").isZero();
            assertThat(attacked.metric("kafka_stream_thread_task_closed_total"))
                .as("stream tasks closed during the attack: a task that fails (a corrupted transaction, an error) is closed and made again")
                .isEqualTo(tasksClosedBefore);
        }
    }

    /** What the attack sent and how the instance answered. */
    private record Attack(HostileTraffic hostile, int slowConnections, int slowClosed, Duration firstSlowClosed,
                          String oversizedHeader, Map<String, Integer> queries) {
    }

    /**
     * Every case of the issue, over HTTP and over Kafka, while the healthy traffic flows; tallies the
     * dead letters each must cause. Starts a few windows in, so that the healthy units are known first.
     */
    private Attack attack(final HostileTraffic hostile, final ChildApplication attacked, final Instant start) throws Exception {
        LockSupport.parkNanos(Duration.between(Instant.now(), start.plusSeconds(6)).toNanos());
        final SlowSenders slow = SlowSenders.open(attacked.port(), Integer.getInteger("hostile.slow", 100), Duration.ofSeconds(2));
        try {
            // Wide tensors: an image flattened (224 x 224 x 3), 200,000 columns, a body of almost 1 MiB; monitored, not fatal.
            for (String body : List.of(HostileTraffic.wideTensor(150_528), HostileTraffic.wideTensor(200_000),
                HostileTraffic.ndarrayOfAbout(1_040_000))) {
                hostile.postCall("wide", "images", Instant.now().toString(), body);
                final String id = "wide-kafka-" + body.length();
                hostile.toRawTopic(SeldonEvent.REQUEST_TYPE, id, HostileTraffic.NAMESPACE, "hostile", "images", Instant.now().toString(),
                    body.length() > 900_000 ? HostileTraffic.wideTensor(150_528) : body);
                hostile.toRawTopic(SeldonEvent.RESPONSE_TYPE, id, HostileTraffic.NAMESPACE, "hostile", "images", Instant.now().toString(),
                    HostileTraffic.ONE_PREDICTION);
                // An image model's traffic, not one burst: the broker shares this machine's two cores with both instances.
                LockSupport.parkNanos(Duration.ofMillis(700).toNanos());
            }
            // Wrong clocks: 55 minutes, 2 hours and a millennium ahead, and before 1970.
            for (Duration ahead : List.of(Duration.ofMinutes(55), Duration.ofHours(2), Duration.between(Instant.now(),
                Instant.parse("2999-01-01T00:00:00Z")))) {
                final Instant wrong = Instant.now().plus(ahead);
                hostile.postCall("clock", "clock", wrong.toString(), HostileTraffic.ONE_ROW);
                hostile.toRawTopic(SeldonEvent.REQUEST_TYPE, "clock-" + ahead, HostileTraffic.NAMESPACE, "hostile", "clock",
                    wrong.toString(), HostileTraffic.ONE_ROW);
                hostile.toV1Topic(SeldonEvent.REQUEST_TYPE, "clock-v1-" + ahead, HostileTraffic.NAMESPACE, "hostile", "clock", wrong,
                    HostileTraffic.ONE_ROW);
                hostile.expect("future-time", 4);
            }
            hostile.postCall("clock", "clock", "1969-12-31T23:59:59Z", HostileTraffic.ONE_ROW);
            hostile.toRawTopic(SeldonEvent.REQUEST_TYPE, "clock-1969", HostileTraffic.NAMESPACE, "hostile", "clock",
                "1969-12-31T23:59:59Z", HostileTraffic.ONE_ROW);
            hostile.expect("bad-time", 3);
            // Amplification: 55 bytes declaring 65,536 rows without columns.
            hostile.post("amplification", SeldonEvent.REQUEST_TYPE, "rows-http", HostileTraffic.NAMESPACE, "hostile", "rows",
                Instant.now().toString(), HostileTraffic.EMPTY_ROWS);
            hostile.toRawTopic(SeldonEvent.REQUEST_TYPE, "rows-kafka", HostileTraffic.NAMESPACE, "hostile", "rows", Instant.now().toString(),
                HostileTraffic.EMPTY_ROWS);
            hostile.toV1Topic(SeldonEvent.REQUEST_TYPE, "rows-v1", HostileTraffic.NAMESPACE, "hostile", "rows", Instant.now(),
                HostileTraffic.EMPTY_ROWS);
            hostile.expect("no-columns", 3);
            // Identities that cannot name a unit: refused at the edge over HTTP, dead-lettered from Kafka.
            for (String namespace : List.of("a/b", "tab\there", "n".repeat(300))) {
                // HTTP folds a tab in a header into a space: the binding's percent-encoding carries it.
                hostile.post("identity", SeldonEvent.REQUEST_TYPE, "identity", namespace.replace("\t", "%09"), "hostile", "v",
                    Instant.now().toString(), HostileTraffic.ONE_ROW);
                hostile.toRawTopic(SeldonEvent.REQUEST_TYPE, "identity", namespace, "hostile", "v", Instant.now().toString(),
                    HostileTraffic.ONE_ROW);
                hostile.toV1Topic(SeldonEvent.REQUEST_TYPE, "identity", namespace, "hostile", "v", Instant.now(), HostileTraffic.ONE_ROW);
                hostile.expect("bad-identity", 2);
            }
            // Thousands of categories of one feature, in rows and across events.
            hostile.postCall("categories", "shop", Instant.now().toString(), HostileTraffic.categories(5_000, "http-"));
            hostile.toRawTopic(SeldonEvent.REQUEST_TYPE, "categories", HostileTraffic.NAMESPACE, "hostile", "shop",
                Instant.now().toString(), HostileTraffic.categories(5_000, "kafka-"));
            // Absurd query durations and headers.
            final Map<String, Integer> queries = new TreeMap<>();
            for (String query : List.of("last=1000000000000000d", "last=-5m", "last=9999999999999999999999s", "from=yesterday")) {
                queries.put(query, hostile.get("/api/v1/units/seldon/housing/v1/classifier/stats?" + query).statusCode());
            }
            final String oversized = hostile.oversizedHeader(64 << 10);
            // Thousands of new units without a baseline, last: the units known by then keep their places, and the
            // new ones get what is left of the half of --max-units that units without a baseline may take.
            hostile.flush();
            final double known = 4; // the healthy v1 and v2 (with a baseline), the hostile images and shop (without)
            await("the units before the flood are known").atMost(PATIENCE).untilAsserted(() ->
                assertThat(attacked.metric("monitml_units_monitored", FEATURES)).as("units monitored; dead letters so far: %s",
                    attacked.metrics().lines().filter(line -> line.startsWith("monitml_records_dead_lettered_total")
                        && !line.endsWith(" 0.0") || line.startsWith("monitml_drift_detected{")).toList()).isEqualTo(known));
            final long floodStart = System.nanoTime();
            for (int i = 0; i < FLOOD_UNITS; i++) {
                // 100 new units a second, over HTTP and Kafka each.
                LockSupport.parkNanos(floodStart + i * 10_000_000L - System.nanoTime());
                hostile.post("units", SeldonEvent.REQUEST_TYPE, "flood-" + i, HostileTraffic.NAMESPACE, "flood-http-" + i, "v",
                    Instant.now().toString(), HostileTraffic.ONE_ROW);
                hostile.toRawTopic(SeldonEvent.REQUEST_TYPE, "flood-" + i, HostileTraffic.NAMESPACE, "flood-kafka-" + i, "v",
                    Instant.now().toString(), HostileTraffic.ONE_ROW);
            }
            hostile.flush();
            final long refused = 2L * FLOOD_UNITS - (MAX_UNITS / 2 - 2);
            await("the flood's units refused").atMost(PATIENCE).until(() ->
                attacked.metric("monitml_records_refused_total", "namespace=\"" + HostileTraffic.NAMESPACE + "\"") >= refused);
            assertThat(attacked.metric("monitml_records_refused_total")).as("one row of each refused unit, all of its namespace")
                .isEqualTo((double) refused);
            // The slow senders began before the rest of the attack; by the read timeout after their first byte the port has
            // closed every one of them, however often it sent a header line.
            await("every slow connection closed by the server").atMost(PATIENCE).until(() -> slow.closedByServer() == slow.connections());
            return new Attack(hostile, slow.connections(), slow.closedByServer(), slow.firstClosedAfter(), oversized, queries);
        } finally {
            slow.close();
        }
    }

    private static void assertAnswers(final Attack attack) {
        final Map<String, List<Integer>> answers = attack.hostile().answers();
        assertThat(answers.get("wide")).as("wide tensors and a body of almost 1 MiB").containsOnly(202);
        assertThat(answers.get("clock")).as("wrong clocks: accepted, then dead-lettered").containsOnly(202);
        assertThat(answers.get("amplification")).containsOnly(202);
        assertThat(answers.get("categories")).containsOnly(202);
        assertThat(answers.get("units")).containsOnly(202);
        assertThat(answers.get("identity")).as("identities refused at the edge").containsOnly(400);
        assertThat(attack.queries()).as("absurd durations").hasSize(4).allSatisfy((query, status) -> assertThat(status).as(query).isEqualTo(400));
        assertThat(attack.oversizedHeader()).as("a 64 KiB header").contains("431");
    }

    private static void assertAccounted(final ChildApplication app) {
        final double in = app.metric("monitml_records_in_total");
        assertThat(in).isPositive().isEqualTo(app.metric("monitml_records_decoded_total")
            + app.metric("monitml_records_dead_lettered_total", "stage=\"decode\""));
        assertThat(app.metric("monitml_records_unaccounted")).isZero();
        assertThat(app.metric("monitml_records_late_total")).as("late records").isZero();
        assertThat(app.metric("monitml_records_dead_lettered_total", "reason=\"internal-error\"")).isZero();
    }

    /** The windows closed in both runs: from the first whole window to the last one the traffic closes. */
    private static List<String> compared(final Instant start) {
        final List<String> keys = new ArrayList<>();
        for (Instant window = start; !window.plus(WINDOW).isAfter(start.plus(SPAN)); window = window.plus(WINDOW)) {
            keys.add(ScriptedTraffic.key("v1", window));
            keys.add(ScriptedTraffic.key("v2", window));
        }
        return keys;
    }

    private RunResults results(final String run, final List<String> compared) {
        return RunResults.read(cluster.bootstrapServers(), cluster.registryUrl(), RunResults.Topics.of(run), Set.copyOf(compared), PATIENCE);
    }

    /** The run's group has committed the end of its input topics. */
    private boolean consumedEverything(final String run) throws Exception {
        try (Admin admin = admin()) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("hostile-" + run)
                .partitionsToOffsetAndMetadata().get();
            for (String topic : List.of("in." + run, "v1." + run)) {
                final TopicPartition partition = new TopicPartition(topic, 0);
                final long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
                if (end > 0 && (committed.get(partition) == null || committed.get(partition).offset() < end)) {
                    return false;
                }
            }
            return true;
        }
    }

    private ChildApplication launch(final String run) {
        return ChildApplication.start(LOGS.resolve(run + ".log"), HEAP, List.of(
            "--bootstrap-servers", cluster.bootstrapServers(), "--schema-registry-url", cluster.registryUrl(),
            "--application-id", "hostile-" + run, "--data-dir", dir.resolve("data-" + run).toString(),
            "--http-host", "127.0.0.1", "--http-port", "0", "--seldon-v2-prefix", "",
            "--raw-topic", "in." + run, "--seldon-v1-topic", "v1." + run, "--dead-letter-topic", "dead-letters." + run,
            "--prediction-stats-topic", "stats." + run, "--drift-topic", "drift." + run, "--inferences-topic", "inferences." + run,
            "--baselines-topic", BASELINES, "--window", WINDOW.toSeconds() + "s", "--grace", GRACE.toSeconds() + "s",
            "--flush-interval", FLUSH.toMillis() + "ms", "--min-rows", "10", "--topic-partitions", "1",
            "--max-units", String.valueOf(MAX_UNITS), "--kafka", "commit.interval.ms=200",
            "--http-read-timeout", READ_TIMEOUT.toSeconds() + "s",
            // The merging stage holds its watermark for the idle timeout after it starts (a source not heard from yet
            // must not be overtaken): 2 s instead of 10, so that the first windows are measured like the others.
            "--idle-timeout", "2s"));
    }

    private Admin admin() {
        return cluster.admin();
    }

    private static Instant nextWindow(final Instant time) {
        final long millis = time.toEpochMilli();
        return Instant.ofEpochMilli(millis - Math.floorMod(millis, WINDOW.toMillis()) + WINDOW.toMillis());
    }

    /** The figures docs/reliability.md quotes, in the test's output. */
    private static void report(final String format, final Object... arguments) {
        System.out.println("HostileTrafficIT " + String.format(Locale.ROOT, format, arguments));
    }

    /** Posts the healthy calls to one instance, each event when its time comes, as the executor's logger does. */
    private static final class HealthyPlayer {

        private final URI ingest;
        private final List<GeneratedRequest> calls;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
        private final List<CompletableFuture<?>> pending = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        HealthyPlayer(final int port, final List<GeneratedRequest> calls) {
            this.ingest = URI.create("http://127.0.0.1:" + port + "/");
            this.calls = calls;
            this.thread = new Thread(this::play, "healthy-" + port);
        }

        void start() {
            thread.start();
        }

        private void play() {
            for (GeneratedRequest call : calls) {
                final long wait = Duration.between(Instant.now(), call.request().time()).toNanos();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                post(call.request());
                post(call.response());
            }
        }

        private void post(final SeldonEvent event) {
            pending.add(client.sendAsync(HttpCloudEventSink.request(ingest, event), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    if (error != null || response.statusCode() != 202) {
                        refused.add(event.requestId() + ": " + (error != null ? error : response.statusCode() + " " + response.body()));
                    }
                }));
        }

        void await() throws Exception {
            thread.join(SPAN.plus(PATIENCE).toMillis());
            assertThat(thread.isAlive()).as("the healthy traffic was played").isFalse();
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get();
        }

        /** A last call at {@code time}, past every compared window, so that they close. */
        void closeWith(final Instant time) throws Exception {
            final long wait = Duration.between(Instant.now(), time).toNanos();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            post(movedTo(calls.get(0).request(), time));
            post(movedTo(calls.get(0).response(), time));
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get();
        }

        private static SeldonEvent movedTo(final SeldonEvent event, final Instant time) {
            return new SeldonEvent(event.type(), "closing-" + event.id(), "closing-" + event.requestId(), event.namespace(),
                event.inferenceServiceName(), event.endpoint(), event.modelId(), time, event.contentType(), event.body());
        }

        List<String> refused() {
            return refused;
        }
    }

    /**
     * Probes {@code /health/live} every 200 ms with a 1 s timeout, and scrapes {@code /metrics} every
     * 500 ms: how far the healthy units' newest closed window ends behind the clock, the heap in use,
     * and whether Kafka Streams stays RUNNING.
     */
    private static final class Watch {

        private final ChildApplication app;
        private final Instant lagFrom;
        private final Instant lagUntil;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        private volatile boolean running = true;
        final AtomicLong probes = new AtomicLong();
        final AtomicLong failedProbes = new AtomicLong();
        final AtomicLong slowestProbeMillis = new AtomicLong();
        final AtomicLong maxLagMillis = new AtomicLong();
        final AtomicLong lagSamples = new AtomicLong();
        final AtomicLong maxHeapBytes = new AtomicLong();
        final AtomicLong maxCommitMillis = new AtomicLong();
        final AtomicLong notReady = new AtomicLong();
        private final Map<String, Double> windowEnds = new ConcurrentHashMap<>();
        private final Map<String, Double> windowsClosedAt = new ConcurrentHashMap<>();
        /** How long ago, at most, a healthy unit last closed a window (its monitml_window_closed_seconds). */
        final AtomicLong maxClosedAgoMillis = new AtomicLong();

        Watch(final ChildApplication app, final Instant lagFrom, final Instant lagUntil) {
            this.app = app;
            this.lagFrom = lagFrom;
            this.lagUntil = lagUntil;
        }

        Thread start() {
            final Thread thread = new Thread(() -> {
                long nextScrape = 0;
                while (running) {
                    probe();
                    if (System.nanoTime() >= nextScrape) {
                        scrape();
                        nextScrape = System.nanoTime() + 500_000_000L;
                    }
                    LockSupport.parkNanos(200_000_000L);
                }
            }, "watch");
            thread.start();
            return thread;
        }

        void stop() {
            running = false;
        }

        private void probe() {
            final long started = System.nanoTime();
            try {
                final HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/health/live")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding());
                final long millis = (System.nanoTime() - started) / 1_000_000;
                slowestProbeMillis.accumulateAndGet(millis, Math::max);
                if (response.statusCode() != 200 || millis > 1_000) {
                    failedProbes.incrementAndGet();
                }
            } catch (Exception e) {
                failedProbes.incrementAndGet();
                slowestProbeMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
            }
            probes.incrementAndGet();
        }

        private int status(final String path) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                return -1;
            }
        }

        private void scrape() {
            final String metrics;
            try {
                metrics = app.metrics();
            } catch (RuntimeException e) {
                return;
            }
            final Matcher heap = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)$").matcher(metrics);
            long used = 0;
            while (heap.find()) {
                used += (long) Double.parseDouble(heap.group(1));
            }
            maxHeapBytes.accumulateAndGet(used, Math::max);
            final Matcher commit = Pattern.compile("(?m)^kafka_stream_thread_commit_latency_max\\{[^}]*} (\\S+)$").matcher(metrics);
            while (commit.find()) {
                if (!commit.group(1).equals("NaN")) {
                    maxCommitMillis.accumulateAndGet((long) Double.parseDouble(commit.group(1)), Math::max);
                }
            }
            if (status("/health/ready") != 200) {
                notReady.incrementAndGet();
            }
            final Matcher closed = WINDOW_CLOSED.matcher(metrics);
            while (closed.find()) {
                windowsClosedAt.put(closed.group(1), Double.parseDouble(closed.group(2)));
            }
            final Matcher ends = WINDOW_END.matcher(metrics);
            while (ends.find()) {
                windowEnds.put(ends.group(1), Double.parseDouble(ends.group(2)));
            }
            final Instant now = Instant.now();
            if (now.isAfter(lagFrom) && now.isBefore(lagUntil)) {
                for (String variant : List.of("v1", "v2")) {
                    // Before its first closed window a unit lags from the traffic's start.
                    final Double end = windowEnds.get(variant);
                    final long lag = now.toEpochMilli() - (end == null ? lagFrom.minus(WINDOW.plus(GRACE).plus(FLUSH).plusSeconds(1))
                        .toEpochMilli() : (long) (end * 1000));
                    maxLagMillis.accumulateAndGet(lag, Math::max);
                    final Double closedAt = windowsClosedAt.get(variant);
                    maxClosedAgoMillis.accumulateAndGet(now.toEpochMilli() - (closedAt == null ? lagFrom.toEpochMilli() - 1_000
                        : (long) (closedAt * 1000)), Math::max);
                }
                lagSamples.incrementAndGet();
            }
        }
    }
}
