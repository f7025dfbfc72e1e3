package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.monitml.fuzz.CloudEvents;
import io.monitml.fuzz.Fuzz;
import io.monitml.ingest.EventKind;

/**
 * The HTTP port as the application serves it ({@link HttpApi} on Jetty, loopback), against at least 10,000
 * seeded requests (see {@link Fuzz}) written byte by byte on a socket, so that nothing an HTTP
 * client library would tidy up is lost: structured, batch and binary CloudEvents, generated
 * ({@link CloudEvents}) or mutated; Content-Type random, mutated or missing; {@code Ce-*} headers
 * missing, duplicated in another case, huge or non-ASCII; wrong methods, and the port's other paths; chunked bodies;
 * bodies past the limit. The producer is a {@link MockProducer} that acknowledges at once, since
 * this is about HTTP parsing.
 *
 * <p>Contract: every answer to ingest is 202 or 4xx, never 5xx, never a stack trace; an error is
 * JSON in the port's shape ({@code status}, {@code error}, {@code message}); a 202 accounts for every event of its request (accepted +
 * ignored, a batch counting each element) and exactly the accepted ones reach the producer, while
 * an error writes nothing; the other paths answer 200 or 302 only to GET and HEAD; every answer
 * carries nosniff; and the server still answers afterwards.
 */
class CloudEventIngestFuzzTest {

    private static final int INPUTS = Fuzz.inputs(10_000);
    private static final String TOPIC = "monitml.raw";
    private static final int MAX_BODY = 64 * 1024;
    /** Each request is a loopback connection and a server round trip: about 0.7 ms, 4 ms on two cores busy with other builds. */
    private static final Duration RUN_LIMIT = Fuzz.RUN_LIMIT.multipliedBy(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] METHODS = {"GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "post", "FOO"};
    private static final String[] PATHS = {"/ingest/", "/ingest/x", "/ingest?x=%C3%A9&y", "/ingest/../ingest", "/ingestx",
        "/metrics", "/health/live", "/health", "/ui/", "/ui/app.js", "/nope", "/%zz"};
    private static final String[] CONTENT_TYPES = {
        CloudEventIngest.STRUCTURED, CloudEventIngest.BATCH, "APPLICATION/CloudEvents+JSON; charset=utf-8", " " + CloudEventIngest.BATCH + " ;",
        "application/cloudevents+json;;;", "application/cloudevents+xml", "application/json", "application/protobuf", "", ";",
        "text/plain; charset=\u00e9", "application/cloudevents-batch+json, application/json"};
    private static final String SELDON_HEADERS = "Ce-Type: io.seldon.serving.inference.request\r\nCe-Requestid: r1\r\n"
        + "Ce-Inferenceservicename: dep\r\nContent-Type: application/json\r\n";

    private final RecordingListener listener = new RecordingListener();
    private MockProducer<byte[], byte[]> producer;
    private HttpApi server;

    @BeforeEach
    void serve() {
        producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        final CloudEventIngest ingest = new CloudEventIngest(producer, TOPIC,
            CloudEventIngest.Settings.defaults().withMaxBodyBytes(MAX_BODY).withSendTimeout(Duration.ofSeconds(5)), listener,
            Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC));
        server = TestPorts.serve(ingest, HttpApi.Settings.of(2));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyRequestIsAcceptedWhollyOrRefusedWithAJsonErrorAndEveryAcceptedEventIsWritten() throws Exception {
        final List<byte[]> corpus = corpus();
        final int[] events = {0};
        final int[] ignored = {0};
        final Fuzz.Outcome outcome = Fuzz.run("http-ingest", INPUTS, RUN_LIMIT, random -> request(random, corpus), raw -> {
            final int before = producer.history().size();
            final Response response = exchange(raw);
            final int written = producer.history().size() - before;
            final Request request = Request.parse(raw);
            checkContract(request, response, written);
            if (response.status != 202) {
                throw new Refused(response.status + " " + (response.json == null ? "(HEAD, no body)" : response.json.path("error").asText()));
            }
            events[0] += response.json.get("accepted").asInt() + response.json.get("ignored").asInt();
            ignored[0] += response.json.get("ignored").asInt();
            return response;
        }, response -> { }, thrown -> thrown instanceof Refused, Throwable::getMessage);

        final String summary = outcome + "; " + events[0] + " events in 202 requests, " + ignored[0] + " of them not inference, "
            + producer.history().size() + " records produced";
        System.out.println("fuzz http-ingest accounting: " + events[0] + " events in 202 requests, " + ignored[0]
            + " of them not inference, " + producer.history().size() + " records produced");
        assertThat(producer.history().size()).as(summary).isEqualTo(events[0] - ignored[0]);
        assertThat(listener.accepted).as(summary).hasSize(producer.history().size());
        assertThat(outcome.decoded()).as("%s: some requests are accepted", outcome).isGreaterThan(INPUTS / 20);
        assertThat(outcome.rejected()).as("%s: many kinds of refusal are reached", outcome)
            .containsKeys("400 bad request", "404 not found", "405 method not allowed", "413 payload too large");

        final Response after = exchange(Fuzz.utf8("POST /ingest HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + SELDON_HEADERS
            + "Content-Length: 30\r\n\r\n{\"data\":{\"ndarray\":[[1.0,2]]}}"));
        assertThat(after.status).as("the server still answers").isEqualTo(202);
    }

    /** Real structured events and batches (Seldon payloads as data) and generated ones, for mutation. */
    private static List<byte[]> corpus() {
        final List<byte[]> corpus = new ArrayList<>();
        final String event = "{\"specversion\":\"1.0\",\"id\":\"a\",\"type\":\"io.seldon.serving.inference.request\",\"requestid\":\"r1\","
            + "\"inferenceservicename\":\"dep\",\"time\":\"2020-11-06T09:35:09.171644169Z\",\"datacontenttype\":\"application/json\",\"data\":%s}";
        for (String payload : List.of("seldon-docs-request.json", "v2-request-fp32.json", "tf-instances-dicts.json")) {
            final String data = new String(Fuzz.resource("/fixtures/payloads/" + payload), StandardCharsets.UTF_8);
            corpus.add(Fuzz.utf8(event.formatted(data)));
            corpus.add(Fuzz.utf8("[" + event.formatted(data) + "," + event.formatted(data).replace("request\"", "response\"") + "]"));
            corpus.add(Fuzz.utf8(data));
        }
        final Random random = new Random(Fuzz.seed());
        for (int i = 0; i < 8; i++) {
            corpus.add(CloudEvents.structured(random));
            corpus.add(CloudEvents.batch(random));
        }
        return corpus;
    }

    /** One raw HTTP/1.1 request: valid framing (the JDK server's own refusals are not the endpoint's), hostile content. */
    private static byte[] request(final Random random, final List<byte[]> corpus) {
        final String method = random.nextInt(12) == 0 ? METHODS[random.nextInt(METHODS.length)] : "POST";
        final String path = random.nextInt(15) == 0 ? PATHS[random.nextInt(PATHS.length)] : random.nextBoolean() ? "/ingest" : "/";
        final List<String> headers = new ArrayList<>();
        byte[] body;
        final int mode = random.nextInt(10);
        if (mode < 3) {
            headers.add("Content-Type");
            headers.add(random.nextInt(5) == 0 ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)] : CloudEventIngest.STRUCTURED);
            body = random.nextBoolean() ? CloudEvents.structured(random) : Fuzz.mutateJson(random, pick(random, corpus), corpus);
        } else if (mode < 6) {
            headers.add("Content-Type");
            headers.add(random.nextInt(5) == 0 ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)] : CloudEventIngest.BATCH);
            body = random.nextBoolean() ? CloudEvents.batch(random) : Fuzz.mutateJson(random, pick(random, corpus), corpus);
        } else {
            headers.addAll(CloudEvents.binaryHeaders(random));
            body = random.nextBoolean() ? CloudEvents.data(random) : Fuzz.mutate(random, pick(random, corpus), corpus);
        }
        if (random.nextInt(40) == 0) {
            body = Fuzz.randomBytes(random, MAX_BODY + 4096);
        }
        if (random.nextInt(10) == 0) {
            // A header of the request again, in another case, or a huge or non-ASCII one.
            final int at = headers.isEmpty() ? 0 : 2 * random.nextInt(headers.size() / 2);
            headers.add(headers.isEmpty() ? "Ce-Type" : headers.get(at).toUpperCase(Locale.ROOT));
            headers.add(switch (random.nextInt(3)) {
                case 0 -> "x".repeat(random.nextInt(16_000));
                case 1 -> "\u00e9\u00ff\u0080 \u00a0";
                default -> CloudEvents.TYPES[random.nextInt(CloudEvents.TYPES.length)];
            });
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Header bytes as ISO-8859-1, as the JDK server reads them: every byte 0x20-0xFF is a character.
        out.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            out.writeBytes((token(headers.get(i)) + ": " + headerSafe(headers.get(i + 1)) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        final boolean chunked = random.nextInt(10) == 0;
        if (chunked) {
            out.writeBytes(("Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
            out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.writeBytes(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte[] pick(final Random random, final List<byte[]> corpus) {
        return corpus.get(random.nextInt(corpus.size()));
    }

    /**
     * A header name the JDK server accepts (an HTTP token): it answers a name with a space or a
     * non-ASCII letter with its own HTML 400 before any handler runs, which is not the endpoint's answer.
     */
    private static String token(final String name) {
        final String token = name.replaceAll("[^A-Za-z0-9!#$%&'*+.^_`|~-]", "_");
        return token.isEmpty() ? "X" : token;
    }

    /** Keeps a value on its header line: characters past 0xFF (which ISO-8859-1 cannot write) and controls become '?'. */
    private static String headerSafe(final String value) {
        final StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7F || c > 0xFF ? '?' : c);
        }
        return out.toString().strip();
    }

    private void checkContract(final Request request, final Response response, final int written) throws IOException, Refused {
        if (!response.head.toLowerCase(Locale.ROOT).contains("\r\nx-content-type-options: nosniff\r\n")) {
            throw new AssertionError("answered " + response.status + " without X-Content-Type-Options: nosniff: " + response.head);
        }
        if (response.status == 200 || response.status == 302) {
            // The app's own pages and probes, asked for with GET or HEAD.
            if (!request.method.equals("GET") && !request.method.equals("HEAD") || request.path.startsWith(CloudEventIngest.PATH)) {
                throw new AssertionError(request.method + " " + request.path + " answered " + response.status);
            }
            throw new Refused(response.status + " " + request.path.split("\\?")[0]);
        }
        if (response.status != 202 && (response.status < 400 || response.status > 499)) {
            throw new AssertionError("answered " + response.status + ": " + response.text());
        }
        if (response.text().contains("Exception") || response.text().contains("\tat ")) {
            throw new AssertionError("answered " + response.status + " with a stack trace: " + response.text());
        }
        if (response.status != 202 && !request.method.equals("HEAD")) {
            if (response.json == null || response.json.path("status").asInt() != response.status
                || !response.json.path("error").asText().equals(JsonReplies.reason(response.status))
                || response.json.path("message").asText().isBlank()) {
                throw new AssertionError("answered " + response.status + " without the JSON error shape: " + response.text());
            }
        }
        if (response.status != 202) {
            if (written != 0) {
                throw new AssertionError("answered " + response.status + " yet wrote " + written + " records");
            }
            return;
        }
        if (response.json == null || !response.json.path("accepted").isInt() || !response.json.path("ignored").isInt()) {
            throw new AssertionError("answered 202 without accepted and ignored counts: " + response.text());
        }
        final int accepted = response.json.get("accepted").asInt();
        final int ignored = response.json.get("ignored").asInt();
        if (written != accepted) {
            throw new AssertionError("answered 202 accepting " + accepted + " events but wrote " + written + " records");
        }
        final List<JsonNode> events = request.jsonEvents();
        if (events == null) {
            if (accepted + ignored != 1) {
                throw new AssertionError("a binary event answered as " + accepted + " accepted and " + ignored + " ignored");
            }
            return;
        }
        // Counted from the request alone: every element of a batch is an event; inference types are written.
        int inference = 0;
        for (JsonNode event : events) {
            final JsonNode type = event.path("type");
            if (type.isValueNode() && !type.isNull() && EventKind.fromCloudEventType(type.asText()) != EventKind.OTHER) {
                inference++;
            }
        }
        if (accepted != inference || ignored != events.size() - inference) {
            throw new AssertionError("a request of " + events.size() + " events, " + inference + " of them inferences, answered as "
                + accepted + " accepted and " + ignored + " ignored");
        }
    }

    private Response exchange(final byte[] raw) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            try {
                out.write(raw);
                out.flush();
            } catch (IOException closedEarly) {
                // The server may answer (413) and close before a large body is all sent; the answer is still there to read.
            }
            final InputStream in = socket.getInputStream();
            return Response.parse(in.readAllBytes());
        }
    }

    /** The parts of a generated request the contract needs. */
    private record Request(String method, String path, String mediaType, byte[] body) {

        static Request parse(final byte[] raw) {
            final int end = indexOf(raw, Fuzz.utf8("\r\n\r\n"));
            final String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            String contentType = null;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                final String[] header = lines[i].split(":", 2);
                final String name = header[0].trim().toLowerCase(Locale.ROOT);
                if (name.equals("content-type") && contentType == null) {
                    contentType = header[1].trim();
                }
                chunked |= name.equals("transfer-encoding");
            }
            byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
            if (chunked) {
                final int size = indexOf(body, Fuzz.utf8("\r\n"));
                final int length = Integer.parseInt(new String(body, 0, size, StandardCharsets.ISO_8859_1), 16);
                body = Arrays.copyOfRange(body, size + 2, size + 2 + length);
            }
            final String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            final String[] requestLine = lines[0].split(" ", 3);
            return new Request(requestLine[0], requestLine[1], mediaType, body);
        }

        /** The events of a structured or batch request, or null for a binary one. */
        List<JsonNode> jsonEvents() throws IOException {
            if (mediaType.equals(CloudEventIngest.STRUCTURED)) {
                return List.of(JSON.readTree(body));
            }
            if (mediaType.equals(CloudEventIngest.BATCH)) {
                final List<JsonNode> events = new ArrayList<>();
                JSON.readTree(body).forEach(events::add);
                return events;
            }
            return null;
        }
    }

    private record Response(int status, String head, byte[] body, JsonNode json) {

        static Response parse(final byte[] raw) {
            final int end = indexOf(raw, Fuzz.utf8("\r\n\r\n"));
            if (end < 0) {
                throw new AssertionError("no complete HTTP response: " + new String(raw, StandardCharsets.ISO_8859_1));
            }
            final String head = new String(raw, 0, end + 2, StandardCharsets.ISO_8859_1);
            final String statusLine = head.split("\r\n", 2)[0];
            final String[] parts = statusLine.split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new AssertionError("not an HTTP status line: " + new String(raw, StandardCharsets.ISO_8859_1));
            }
            final int status = Integer.parseInt(parts[1]);
            final byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
            JsonNode json;
            try {
                json = body.length == 0 ? null : JSON.readTree(body);
            } catch (IOException notJson) {
                json = null;
            }
            return new Response(status, head, body, json);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static int indexOf(final byte[] haystack, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A request the endpoint refused within its contract, counted by status and error. */
    private static final class Refused extends Exception {

        private static final long serialVersionUID = 1L;

        Refused(final String statusAndError) {
            super(statusAndError, null, false, false);
        }
    }
}
