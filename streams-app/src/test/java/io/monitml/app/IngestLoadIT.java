package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.config.TopologySettings;
import io.monitml.demo.GeneratedRequest;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.SeldonEvent;
import io.monitml.ingest.CloudEventAttributes;
import io.monitml.metrics.Scrape;
import io.monitml.topology.PipelineListener;

/**
 * Hundreds of senders post Seldon's request-logger CloudEvents at once to a running instance's
 * ingest endpoint, over loopback, while its pipeline consumes them: every post is answered 202,
 * every event is on the raw topic exactly once, the pipeline reads every one of them, and the
 * latency percentiles are printed for docs/reliability.md.
 */
class IngestLoadIT {

    private static final double P99_BOUND_MILLIS = 5_000;
    private static final int SENDERS = 300;
    private static final int CALLS = 12_000;
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @TempDir
    Path dataDir;

    @Test
    void shouldTakeEveryEventFromHundredsOfConcurrentSendersWithoutErrorOrLoss() throws Exception {
        final List<SeldonEvent> events = new ArrayList<>();
        for (GeneratedRequest call : ScriptedTraffic.calls(Instant.now(), CALLS, Duration.ofMillis(1), Duration.ofDays(1))) {
            events.add(call.request());
            events.add(call.response());
        }
        try (MonitMlApplication app = MonitMlApplication.start(TestConfigs.embedded("ingest-load", dataDir,
            TestConfigs.topology(TopologySettings.Sources.cloudEventsOnly(), Duration.ofSeconds(10),
                new TopologySettings.Pairing(true, Duration.ofSeconds(10))), 2), PipelineListener.NONE)) {
            await().atMost(PATIENCE).until(() -> app.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
            final URI url = URI.create("http://127.0.0.1:" + app.httpPort() + "/");
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

            final long[] latencies = new long[events.size()];
            final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            final List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            final CountDownLatch go = new CountDownLatch(1);
            final List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                final int sender = s;
                senders.add(new Thread(() -> {
                    try {
                        go.await();
                        for (int i = sender; i < events.size(); i += SENDERS) {
                            final long started = System.nanoTime();
                            final HttpResponse<String> response = client.send(HttpCloudEventSink.request(url, events.get(i)),
                                HttpResponse.BodyHandlers.ofString());
                            latencies[i] = System.nanoTime() - started;
                            statuses.computeIfAbsent(response.statusCode(), c -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }, "sender-" + s));
            }
            senders.forEach(Thread::start);
            final long started = System.nanoTime();
            go.countDown();
            for (Thread sender : senders) {
                sender.join(PATIENCE.toMillis());
            }
            final double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(failures).as("senders that failed").isEmpty();
            assertThat(statuses).as("responses by status").containsOnlyKeys(202);
            assertThat(statuses.get(202).get()).isEqualTo(events.size());

            final Set<String> ids = readEventIds(app, events.size());
            assertThat(ids).as("distinct events on the raw topic").hasSize(events.size());
            await().atMost(PATIENCE).untilAsserted(() -> {
                final String scrape = app.meterRegistry().scrape();
                assertThat(Scrape.sum(scrape, "monitml_records_in_total")).as("records the pipeline read").isEqualTo(events.size());
                assertThat(Scrape.sum(scrape, "monitml_records_unaccounted")).isZero();
                assertThat(Scrape.sum(scrape, "monitml_http_requests_shed_total")).as("requests refused for a full pool").isZero();
            });

            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "IngestLoadIT %d senders posted %d events in %.1f s (%.0f events/s): all 202,"
                    + " %d on the raw topic; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", SENDERS, events.size(), seconds,
                events.size() / seconds, ids.size(), millis(latencies, 0.50), millis(latencies, 0.99),
                latencies[latencies.length - 1] / 1e6);
            // A generous bound: the runs recorded had p99 of 139-718 ms with the broker, the pipeline and the 300 senders
            // sharing two cores; the figure itself is measured, not promised (docs/reliability.md, Load).
            assertThat(millis(latencies, 0.99)).as("p99 of the answers, ms").isLessThan(P99_BOUND_MILLIS);
        }
    }

    /** Reads the raw topic from the start until {@code expected} records came, and returns their distinct {@code ce_id}s. */
    private static Set<String> readEventIds(final MonitMlApplication app, final int expected) {
        final Set<String> ids = new HashSet<>();
        final int[] records = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.config().bootstrapServers(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(app.config().topics().raw(), 0), new TopicPartition(app.config().topics().raw(), 1)));
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records[0]++;
                    ids.add(new String(record.headers().lastHeader(CloudEventAttributes.kafkaHeader(CloudEventAttributes.ID)).value(), StandardCharsets.UTF_8));
                }
                return records[0] >= expected && consumer.assignment().stream()
                    .allMatch(p -> consumer.position(p) >= consumer.endOffsets(Set.of(p)).get(p));
            });
        }
        assertThat(records[0]).as("records on the raw topic").isEqualTo(expected);
        return ids;
    }

    private static double millis(final long[] sorted, final double quantile) {
        return sorted[(int) Math.ceil(quantile * sorted.length) - 1] / 1e6;
    }
}
