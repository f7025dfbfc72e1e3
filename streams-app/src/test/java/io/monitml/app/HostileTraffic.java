package io.monitml.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.monitml.demo.SeldonEvent;

/**
 * What operators and attackers send beside healthy traffic, over HTTP to an instance's ingest
 * endpoint and with a plain producer to its Kafka input topics (the CloudEvents topic with
 * {@code ce_} headers, the v1 executor's direct logger topic with bare headers and the record
 * timestamp as event time). It keeps the tally the test checks the instance against: every record
 * it makes the instance dead-letter, by reason, and every HTTP answer, by case.
 */
final class HostileTraffic implements AutoCloseable {

    /** A hostile unit's namespace and deployment; variants name the cases. */
    static final String NAMESPACE = "hostile";

    private final URI http;
    private final String rawTopic;
    private final String v1Topic;
    private final Producer<byte[], byte[]> producer;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Long> expectedDeadLetters = new TreeMap<>();
    private final Map<String, List<Integer>> answers = new LinkedHashMap<>();
    private long sent;
    private final java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();

    HostileTraffic(final int httpPort, final String bootstrapServers, final String rawTopic, final String v1Topic) {
        this.http = URI.create("http://127.0.0.1:" + httpPort);
        this.rawTopic = rawTopic;
        this.v1Topic = v1Topic;
        this.producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000,
            ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The dead letters this traffic must have caused, by reason. */
    Map<String, Long> expectedDeadLetters() {
        return expectedDeadLetters;
    }

    /** The HTTP status of every post, by case. */
    Map<String, List<Integer>> answers() {
        return answers;
    }

    /** Records written to Kafka and events posted. */
    long sent() {
        return sent;
    }

    void expect(final String reason, final long count) {
        expectedDeadLetters.merge(reason, count, Long::sum);
    }

    // ---- bodies ----

    /** A SeldonMessage tensor of one row of {@code columns} small integers: an image, flattened. */
    static String wideTensor(final int columns) {
        final StringBuilder body = new StringBuilder(columns * 2 + 64).append("{\"data\":{\"tensor\":{\"shape\":[1,").append(columns)
            .append("],\"values\":[");
        for (int i = 0; i < columns; i++) {
            body.append(i == 0 ? "" : ",").append(i % 10);
        }
        return body.append("]}}}").toString();
    }

    /** One row of numbers, as close to {@code bytes} as a body of five-byte values gets. */
    static String ndarrayOfAbout(final int bytes) {
        final int values = (bytes - 64) / 5;
        final StringBuilder body = new StringBuilder(bytes).append("{\"data\":{\"ndarray\":[[");
        for (int i = 0; i < values; i++) {
            body.append(i == 0 ? "" : ",").append("0.25");
        }
        return body.append("]]}}").toString();
    }

    /** 55 bytes that used to become 65,536 rows. */
    static final String EMPTY_ROWS = "{\"data\":{\"tensor\":{\"shape\":[65536,0],\"values\":[]}}}";

    /** {@code rows} rows of one categorical feature, each a category of its own. */
    static String categories(final int rows, final String prefix) {
        final StringBuilder body = new StringBuilder("{\"data\":{\"names\":[\"city\"],\"ndarray\":[");
        for (int i = 0; i < rows; i++) {
            body.append(i == 0 ? "" : ",").append("[\"").append(prefix).append(i).append("\"]");
        }
        return body.append("]}}").toString();
    }

    static final String ONE_ROW = "{\"data\":{\"names\":[\"x\"],\"ndarray\":[[1.0]]}}";
    static final String ONE_PREDICTION = "{\"data\":{\"ndarray\":[[0.5]]}}";

    // ---- over HTTP ----

    /** An event posted in binary mode as Seldon's executor posts it; returns the status. */
    int post(final String label, final String type, final String requestId, final String namespace, final String deployment,
             final String variant, final String time, final String body) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(http.resolve("/"))
            .timeout(Duration.ofSeconds(30))
            .header("Ce-Specversion", "1.0")
            .header("Ce-Id", UUID.randomUUID().toString())
            .header("Ce-Type", type)
            .header("Ce-Requestid", requestId)
            .header("Ce-Inferenceservicename", deployment)
            .header("Ce-Namespace", namespace)
            .header("Ce-Endpoint", variant)
            .header("Ce-Modelid", "model")
            .header("Ce-Time", time)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        final int status = send(request.build()).statusCode();
        answers.computeIfAbsent(label, k -> new ArrayList<>()).add(status);
        sent++;
        return status;
    }

    /** A request and its response of the hostile unit {@code variant}, at {@code time}. */
    void postCall(final String label, final String variant, final String time, final String requestBody) {
        final String id = label + "-" + UUID.randomUUID();
        post(label, SeldonEvent.REQUEST_TYPE, id, NAMESPACE, "hostile", variant, time, requestBody);
        post(label, SeldonEvent.RESPONSE_TYPE, id, NAMESPACE, "hostile", variant, time, ONE_PREDICTION);
    }

    HttpResponse<String> get(final String pathAndQuery) {
        return send(HttpRequest.newBuilder(http.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private HttpResponse<String> send(final HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request whose one header is {@code bytes} long, on a socket of its own; returns the status line. */
    String oversizedHeader(final int bytes) {
        try (Socket socket = new Socket("127.0.0.1", http.getPort())) {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(bytes) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            final StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            return "closed: " + e.getMessage();
        }
    }

    // ---- over Kafka ----

    /** A binary-mode CloudEvent on the CloudEvents topic, stamped now by the producer's (right) clock. */
    void toRawTopic(final String type, final String requestId, final String namespace, final String deployment, final String variant,
                    final String time, final String body) {
        final RecordHeaders headers = loggerHeaders("ce_", type, requestId, namespace, deployment, variant);
        add(headers, "ce_specversion", "1.0");
        add(headers, "ce_id", UUID.randomUUID().toString());
        add(headers, "ce_time", time);
        write(new ProducerRecord<>(rawTopic, null, null, requestId.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8),
            headers));
    }

    /** An event as the v1 executor's direct Kafka logger writes it: bare headers, no time, the record stamped {@code timestamp}. */
    void toV1Topic(final String type, final String requestId, final String namespace, final String deployment, final String variant,
                   final Instant timestamp, final String body) {
        write(new ProducerRecord<>(v1Topic, null, timestamp.toEpochMilli(), null, body.getBytes(StandardCharsets.UTF_8),
            loggerHeaders("", type, requestId, namespace, deployment, variant)));
    }

    /** The attributes both loggers write, each under {@code prefix} ({@code ce_} in Kafka's CloudEvents binding, none for the direct logger). */
    private static RecordHeaders loggerHeaders(final String prefix, final String type, final String requestId, final String namespace,
                                               final String deployment, final String variant) {
        final RecordHeaders headers = new RecordHeaders();
        add(headers, prefix + "type", type);
        add(headers, prefix + "requestid", requestId);
        add(headers, prefix + "inferenceservicename", deployment);
        add(headers, prefix + "namespace", namespace);
        add(headers, prefix + "endpoint", variant);
        add(headers, prefix + "modelid", "model");
        add(headers, "content-type", "application/json");
        return headers;
    }

    private void write(final ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        });
        sent++;
    }

    /** Waits until every record written so far is acknowledged; fails if the broker refused one. */
    void flush() {
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("The broker refused a hostile record", failure.get());
        }
    }

    private static void add(final RecordHeaders headers, final String key, final String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        flush();
        producer.close(Duration.ofSeconds(10));
    }
}
