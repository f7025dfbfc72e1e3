package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.avro.PredictionStats;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.SeldonEvent;
import io.monitml.embedded.EmbeddedKafka;
import io.monitml.http.CloudEventIngest;
import io.monitml.http.HttpApi;
import io.monitml.http.IngestListener;
import io.monitml.http.StaticPage;
import io.monitml.ingest.Unit;

/**
 * A half-written request, retried, counts each event once, and its answer says what happened. The
 * ingest endpoint writes to the real broker through a producer with injected faults on the first
 * send of chosen records: one refused by the broker (a retriable error, as {@code acks=all} gets while
 * replicas are missing) and one written only after the send timeout, as a slow broker does. The
 * sender retries every 503 with the same request, as a CloudEvents sender does; the application
 * (its own JVM) reads what ingest wrote. Healthy traffic of another unit flows beside: its windows
 * must be exact too, and nothing may be counted late.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetriedIngestIT {

    private static final Duration WINDOW = Duration.ofSeconds(2);
    /** Covers a delayed record written two send timeouts after its event and its retry. */
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(1);
    /** The faulty traffic's span: whole windows of it are compared. */
    private static final Duration FAULTY = WINDOW.multipliedBy(5);
    /** Healthy traffic goes on until the compared windows have closed. */
    private static final Duration HEALTHY = FAULTY.plus(GRACE).plus(WINDOW.multipliedBy(3));
    private static final Duration ROUND = Duration.ofMillis(100);
    private static final int PARTITIONS = 3;
    private static final String TOPIC = "in.retry";
    private static final String RUN = "retry";
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_BODY = "{\"data\":{\"names\":[\"rm\"],\"ndarray\":[[6.5]]}}";

    private enum Fault { REFUSED, LATE }

    private Path dir;
    private BrokerAndRegistry cluster;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    /** The faults still to inject, by record (type and request id): each on the record's first send only. */
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void startBrokerAndRegistry(@TempDir final Path tempDir) throws Exception {
        dir = tempDir;
        cluster = BrokerAndRegistry.start(dir.resolve("broker"), EmbeddedKafka.Options.plaintext(0));
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
    }

    @AfterAll
    void stop() {
        later.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldCountEachEventOfARetriedHalfWrittenRequestOnceAndSayWhatWasWritten() throws Exception {
        final Unit retried = new Unit("seldon", "retried", "v1", "classifier");
        final Unit healthy = new Unit("seldon", "healthy", "v1", "classifier");
        final Map<String, Long> sent = new TreeMap<>();
        final List<JsonNode> refusals = new ArrayList<>();
        int retries = 0;
        try (ChildApplication app = launch().awaitReady();
             Producer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                 ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 2), new ByteArraySerializer(), new ByteArraySerializer());
             HttpApi ingest = HttpApi.start("127.0.0.1", 0, HttpApi.Settings.of(8), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                 () -> KafkaStreams.State.RUNNING, new CloudEventIngest(faulty(producer), TOPIC,
                     CloudEventIngest.Settings.defaults().withSendTimeout(SEND_TIMEOUT), IngestListener.NONE, Clock.systemUTC()), new StaticPage("/ui/", "/io/monitml/ui/"))) {
            final URI url = URI.create("http://127.0.0.1:" + ingest.port() + CloudEventIngest.PATH);
            final Instant start = Instant.ofEpochMilli((System.currentTimeMillis() / WINDOW.toMillis() + 1) * WINDOW.toMillis());
            await().pollInterval(Duration.ofMillis(20)).atMost(WINDOW.plusSeconds(1)).until(() -> !Instant.now().isBefore(start));
            final Instant faultyEnd = start.plus(FAULTY);
            final Instant end = start.plus(HEALTHY);
            for (int round = 0; Instant.now().isBefore(end); round++) {
                // Ten rounds a second: an inference of the healthy unit each, a retried request of the other every fifth.
                final Instant next = start.plus(ROUND.multipliedBy(round));
                await().pollInterval(Duration.ofMillis(10)).atMost(ROUND.plusSeconds(1)).until(() -> !Instant.now().isBefore(next));
                final List<SeldonEvent> calls = inference(healthy);
                for (SeldonEvent event : calls) {
                    assertThat(post(url, event).statusCode()).as("healthy traffic is never refused").isEqualTo(202);
                }
                count(sent, healthy, calls);
                if (Instant.now().isBefore(faultyEnd) && round % 5 == 2) {
                    if (round % 10 == 2) {
                        // A batch of two inferences whose third event (a request) fails on the first send, or is written late.
                        final List<SeldonEvent> batch = new ArrayList<>(inference(retried));
                        batch.addAll(inference(retried));
                        faults.put(id(batch.get(2)), round % 20 == 2 ? Fault.REFUSED : Fault.LATE);
                        retries += retriedUntilAccepted(() -> postBatch(url, batch), refusals);
                        count(sent, retried, batch);
                    } else {
                        // One event per post, as Seldon's executor sends them: the response is written only after the send timeout.
                        final List<SeldonEvent> call = inference(retried);
                        assertThat(post(url, call.get(0)).statusCode()).isEqualTo(202);
                        faults.put(id(call.get(1)), Fault.LATE);
                        retries += retriedUntilAccepted(() -> post(url, call.get(1)), refusals);
                        count(sent, retried, call);
                    }
                }
            }
            assertThat(faults).as("every fault injected").isEmpty();
            assertThat(refusals).as("a refused batch, a late batch and a late single event").hasSizeGreaterThanOrEqualTo(3);
            for (JsonNode refusal : refusals) {
                final int events = refusal.get("events").asInt();
                assertThat(refusal.get("status").asInt()).isEqualTo(503);
                assertThat(refusal.get("written").asInt() + refusal.get("failed").asInt() + refusal.get("unacknowledged").asInt())
                    .as("every event accounted for: %s", refusal).isEqualTo(events);
                assertThat(refusal.get("written").asInt()).as("the others written: %s", refusal).isEqualTo(events - 1);
                assertThat(refusal.get("message").asText()).contains("retry the request");
            }
            assertThat(refusals).extracting(refusal -> refusal.get("failed").asInt()).contains(1);
            assertThat(refusals).extracting(refusal -> refusal.get("unacknowledged").asInt()).contains(1);

            // The windows of the faulty span: the retried unit's where it was sent something, the healthy unit's all.
            final Set<String> compared = new HashSet<>();
            for (Instant window = start; window.isBefore(faultyEnd); window = window.plus(WINDOW)) {
                compared.add(healthy.key() + "@" + window);
                if (sent.containsKey(retried.key() + "@" + window)) {
                    compared.add(retried.key() + "@" + window);
                }
            }
            assertThat(compared).as("most windows have retried traffic").hasSizeGreaterThanOrEqualTo(8);
            final RunResults results = RunResults.read(cluster.bootstrapServers(), cluster.registryUrl(), RunResults.Topics.of(RUN),
                compared, PATIENCE);
            final List<String> wrong = new ArrayList<>();
            for (String key : compared) {
                final PredictionStats stats = results.stats().get(key);
                final long expected = sent.get(key);
                if (stats == null || stats.getResponses() != expected) {
                    wrong.add(key + ": " + (stats == null ? "none" : stats.getResponses()) + " responses of " + expected);
                }
            }
            assertThat(wrong).as("windows whose responses differ from those sent, of %d", compared.size()).isEmpty();
            assertThat(results.repeated()).as("windows published more than once").isEmpty();
            final long duplicates = duplicatesWritten();
            assertThat(duplicates).as("the retries wrote events a second time").isGreaterThanOrEqualTo(retries);
            await("every duplicate counted").atMost(PATIENCE).until(() -> app.metric("monitml_duplicate_events_total") >= duplicates);
            assertThat(app.metric("monitml_duplicate_events_total")).isEqualTo((double) duplicates);
            assertThat(app.metric("monitml_records_late_total")).as("records counted late").isZero();
            System.out.printf("RetriedIngestIT %d windows exact; %d retried requests, %d events written twice, each counted once%n",
                compared.size(), retries, duplicates);
        }
    }

    /** A request and its response of the unit, at the clock's time. */
    private static List<SeldonEvent> inference(final Unit unit) {
        final String requestId = UUID.randomUUID().toString();
        final Instant now = Instant.now();
        return List.of(event(unit, SeldonEvent.REQUEST_TYPE, requestId, now, REQUEST_BODY),
            event(unit, SeldonEvent.RESPONSE_TYPE, requestId, now.plusMillis(3), "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[21.5]]}}"));
    }

    private static SeldonEvent event(final Unit unit, final String type, final String requestId, final Instant time, final String body) {
        return new SeldonEvent(type, UUID.randomUUID().toString(), requestId, unit.namespace(), unit.deployment(), unit.variant(),
            unit.model(), time, SeldonEvent.JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String id(final SeldonEvent event) {
        return event.type() + "/" + event.requestId();
    }

    /** Adds the responses to their unit's window. */
    private static void count(final Map<String, Long> sent, final Unit unit, final List<SeldonEvent> events) {
        for (SeldonEvent event : events) {
            if (event.type().equals(SeldonEvent.RESPONSE_TYPE)) {
                final long window = event.time().toEpochMilli() / WINDOW.toMillis() * WINDOW.toMillis();
                sent.merge(unit.key() + "@" + Instant.ofEpochMilli(window), 1L, Long::sum);
            }
        }
    }

    private interface Post {
        HttpResponse<String> send() throws Exception;
    }

    /** Posts until the answer is 202, keeping each 503's body; returns the number of retries. */
    private static int retriedUntilAccepted(final Post post, final List<JsonNode> refusals) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            final HttpResponse<String> answer = post.send();
            if (answer.statusCode() == 202) {
                return attempt;
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            refusals.add(JSON.readTree(answer.body()));
        }
        throw new AssertionError("not accepted after 5 attempts");
    }

    private HttpResponse<String> post(final URI url, final SeldonEvent event) throws Exception {
        return client.send(HttpCloudEventSink.request(url, event), HttpResponse.BodyHandlers.ofString());
    }

    /** The events as one structured batch ({@code application/cloudevents-batch+json}). */
    private HttpResponse<String> postBatch(final URI url, final List<SeldonEvent> events) throws Exception {
        final ArrayNode batch = JSON.createArrayNode();
        for (SeldonEvent event : events) {
            final ObjectNode json = batch.addObject().put("specversion", "1.0").put("id", event.id()).put("type", event.type())
                .put("source", "http://" + event.inferenceServiceName() + "." + event.namespace() + ":8000/")
                .put("time", event.time().toString()).put("requestid", event.requestId()).put("modelid", event.modelId())
                .put("inferenceservicename", event.inferenceServiceName()).put("namespace", event.namespace())
                .put("endpoint", event.endpoint()).put("datacontenttype", SeldonEvent.JSON);
            json.set("data", JSON.readTree(event.body()));
        }
        return client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/cloudevents-batch+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(batch))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The producer with the faults injected on the first send of the records named in {@link #faults}:
     * REFUSED fails it at once with a retriable broker error and writes nothing; LATE writes it two
     * send timeouts later, so that ingest's answer comes first.
     */
    @SuppressWarnings("unchecked")
    private Producer<byte[], byte[]> faulty(final Producer<byte[], byte[]> real) {
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Producer.class},
            (proxy, method, arguments) -> {
                if (method.getName().equals("send") && arguments.length == 2) {
                    final ProducerRecord<byte[], byte[]> record = (ProducerRecord<byte[], byte[]>) arguments[0];
                    final Callback callback = (Callback) arguments[1];
                    final Fault fault = faults.remove(header(record, "ce_type") + "/" + header(record, "ce_requestid"));
                    if (fault == Fault.REFUSED) {
                        callback.onCompletion(null, new NotEnoughReplicasException("injected: fewer in-sync replicas than required"));
                        return null;
                    }
                    if (fault == Fault.LATE) {
                        later.schedule(() -> real.send(record, callback), SEND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
                        return null;
                    }
                }
                try {
                    return method.invoke(real, arguments);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    private static String header(final ProducerRecord<byte[], byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Records on the input topic beyond the first of each (unit, type, request id). */
    private long duplicatesWritten() {
        final Map<String, Integer> copies = new HashMap<>();
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG,
            "duplicates-" + UUID.randomUUID(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && emptyPolls < 5) {
                int polled = 0;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    copies.merge(String.join("/", header(record, "ce_inferenceservicename"), header(record, "ce_type"),
                        header(record, "ce_requestid")), 1, Integer::sum);
                    polled++;
                    records++;
                }
                emptyPolls = polled == 0 && records > 0 ? emptyPolls + 1 : 0;
            }
        }
        return records - copies.size();
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private ChildApplication launch() {
        return ChildApplication.start(dir.resolve(RUN + ".log"), List.of(
            "--bootstrap-servers", cluster.bootstrapServers(), "--schema-registry-url", cluster.registryUrl(),
            "--application-id", "retried-ingest", "--data-dir", dir.resolve("data").toString(),
            "--http-host", "127.0.0.1", "--http-port", "0", "--ingest", "false", "--seldon-v2-prefix", "",
            "--raw-topic", TOPIC, "--dead-letter-topic", "dead-letters." + RUN, "--prediction-stats-topic", "stats." + RUN,
            "--drift-topic", "drift." + RUN, "--inferences-topic", "inferences." + RUN, "--baselines-topic", "baselines." + RUN,
            "--window", WINDOW.toSeconds() + "s", "--grace", GRACE.toSeconds() + "s", "--flush-interval", "200ms",
            "--topic-partitions", "1", "--kafka", "commit.interval.ms=200"));
    }
}
