package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.monitml.query.QueryApi;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP port as a whole: errors, the bounded pool, the ingest token, TLS. */
class HttpApiTest {

    private static final String INGEST_TOKEN = "ingest-secret";
    private static final String API_TOKEN = "api-secret";
    private static final int MAX_BODY = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/t\","
        + "\"type\":\"io.seldon.serving.inference.request\",\"requestid\":\"r1\",\"data\":{\"data\":{\"ndarray\":[[1]]}}}";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private record Bad(String method, String path, String token, String contentType, byte[] body, boolean chunked, int status,
                       List<String> headers) {

        static Bad of(final String method, final String path, final int status) {
            return new Bad(method, path, null, null, null, false, status, List.of());
        }

        Bad token(final String value) {
            return new Bad(method, path, value, contentType, body, chunked, status, headers);
        }

        Bad body(final String type, final String text) {
            return new Bad(method, path, token, type, text.getBytes(StandardCharsets.UTF_8), chunked, status, headers);
        }

        Bad body(final String type, final byte[] bytes, final boolean chunkedBody) {
            return new Bad(method, path, token, type, bytes, chunkedBody, status, headers);
        }

        /** Extra headers, name and value after each other. */
        Bad headers(final List<String> namesAndValues) {
            return new Bad(method, path, token, contentType, body, chunked, status, namesAndValues);
        }
    }

    private static List<String> manyHeaders(final int count) {
        final List<String> headers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            headers.add("X-Many-" + i);
            headers.add("v");
        }
        return headers;
    }

    @Test
    void everyBadRequestGetsA4xxWithAJsonErrorAndNoStackTrace() throws Exception {
        final HttpApi http = start(new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()), 4, null);
        final String host = java.net.InetAddress.getLocalHost().getHostName();
        final String structured = CloudEventIngest.STRUCTURED;
        final byte[] oversize = new byte[MAX_BODY * 4];
        final List<Bad> table = List.of(
            Bad.of("GET", "/nope", 404),
            Bad.of("DELETE", "/nope/deeper", 404),
            Bad.of("GET", "/metrics/extra", 404),
            Bad.of("GET", "/healthz", 404),
            Bad.of("POST", "/metrics", 405),
            Bad.of("OPTIONS", "/metrics", 405),
            Bad.of("PUT", "/health", 405),
            Bad.of("POST", "/health/live", 405),
            Bad.of("DELETE", "/health/ready", 405),
            Bad.of("POST", "/ui/", 405),
            Bad.of("GET", "/ui/missing.js", 404),
            Bad.of("GET", "/ui/sub/index.html", 404),
            // ingest: method, path, token, content type, JSON, size
            Bad.of("GET", "/ingest", 405),
            Bad.of("PUT", "/", 405).token(INGEST_TOKEN),
            Bad.of("POST", "/ingest/extra", 404),
            Bad.of("POST", "/ingest", 401).body(structured, EVENT),
            Bad.of("POST", "/", 401).token("wrong").body(structured, EVENT),
            Bad.of("POST", "/ingest", 401).token(API_TOKEN).body(structured, EVENT),
            Bad.of("POST", "/ingest", 400).token(INGEST_TOKEN).body(structured, "{not json"),
            Bad.of("POST", "/ingest", 400).token(INGEST_TOKEN).body(structured, "[1, 2]"),
            Bad.of("POST", "/ingest", 400).token(INGEST_TOKEN).body(structured, "{\"specversion\":\"1.0\",\"id\":\"1\"}"),
            Bad.of("POST", "/ingest", 400).token(INGEST_TOKEN).body(CloudEventIngest.BATCH, "[{\"type\": 1"),
            Bad.of("POST", "/ingest", 400).token(INGEST_TOKEN).body("text/plain", "hello"),
            Bad.of("POST", "/", 400).token(INGEST_TOKEN).body("application/json", "{\"data\":{\"ndarray\":[[1]]}}"),
            Bad.of("POST", "/ingest", 413).token(INGEST_TOKEN).body("application/json", oversize, false),
            Bad.of("POST", "/", 413).token(INGEST_TOKEN).body("application/json", oversize, true),
            // the query API
            Bad.of("POST", "/api/v1/units", 405).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units", 401),
            Bad.of("GET", "/api/v1/units", 401).token(INGEST_TOKEN),
            Bad.of("GET", "/api/v1/nope", 404).token(API_TOKEN),
            Bad.of("GET", "/api/", 404).token(API_TOKEN),
            Bad.of("GET", "/api/v2/units", 404).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units/a/b/c/d/stats?last=banana", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units/a/b/c/d/drift?from=yesterday", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units/a/b/c/d/stats?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", 400)
                .token(API_TOKEN),
            Bad.of("GET", "/api/v1/units/a/b/c/d/drift?from=2026-01-01T00:00:00Z&last=1h", 400).token(API_TOKEN),
            // durations and instants past what the clock holds (an ArithmeticException and a 500 before)
            Bad.of("GET", "/api/v1/units/a/b/c/d/stats?last=1000000000000000d", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units/a/b/c/d/stats?last=99999999999999999999999h", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units/a/b/c/d/stats?last=PT-1H", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units/a/b/c/d/stats?last=100000000000d", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units/a/b/c/d/drift?from=%2B1000000000-01-01T00:00:00Z", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units/a/b/c/d/drift?to=99999999999999999999", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units?limit=0", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units?limit=1001", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units?limit=ten", 400).token(API_TOKEN),
            Bad.of("GET", "/api/v1/units?variant=%FF", 400).token(API_TOKEN),
            // the stores are not open yet: a 503 in the same shape
            Bad.of("GET", "/api/v1/units", 503).token(API_TOKEN),
            // bodies where none is taken are refused unread
            Bad.of("GET", "/metrics", 413).body("application/json", "{}"),
            Bad.of("GET", "/health/live", 413).body("application/json", oversize, true),
            Bad.of("GET", "/api/v1/units", 413).token(API_TOKEN).body("application/json", oversize, false),
            Bad.of("POST", "/api/v1/units", 405).token(API_TOKEN).body("application/json", oversize, false),
            Bad.of("FOO", "/ui/", 405),
            // headers over the limits: Jetty's own 431 (bytes), and ours (fields)
            Bad.of("GET", "/health", 431).headers(List.of("X-Big", "b".repeat(HeaderLimits.MAX_HEADER_BYTES + 1))),
            Bad.of("POST", "/ingest", 431).token(INGEST_TOKEN).headers(List.of("X-Big", "b".repeat(HeaderLimits.MAX_HEADER_BYTES + 1)))
                .body(structured, EVENT),
            Bad.of("GET", "/metrics", 431).headers(manyHeaders(HeaderLimits.MAX_HEADERS + 1)));
        final List<String> failures = new ArrayList<>();
        for (Bad bad : table) {
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + bad.path()))
                .timeout(Duration.ofSeconds(10));
            if (bad.token() != null) {
                request.header("Authorization", "Bearer " + bad.token());
            }
            if (bad.contentType() != null) {
                request.header("Content-Type", bad.contentType());
            }
            for (int i = 0; i < bad.headers().size(); i += 2) {
                request.header(bad.headers().get(i), bad.headers().get(i + 1));
            }
            final HttpRequest.BodyPublisher body = bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                : bad.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bad.body()))
                : HttpRequest.BodyPublishers.ofByteArray(bad.body());
            final HttpResponse<String> response;
            try {
                response = client.send(request.method(bad.method(), body).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add(bad.method() + " " + bad.path() + ": no answer (" + e + ")");
                continue;
            }
            final String what = bad.method() + " " + bad.path() + " -> " + response.statusCode() + " " + response.body();
            if (response.statusCode() != bad.status()) {
                failures.add("expected " + bad.status() + ": " + what);
            }
            if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                failures.add("not JSON: " + what);
                continue;
            }
            if (!response.headers().firstValue("X-Content-Type-Options").orElse("").equals("nosniff")) {
                failures.add("no X-Content-Type-Options: nosniff: " + what);
            }
            try {
                final JsonNode json = JSON.readTree(response.body());
                if (json.path("status").asInt() != response.statusCode() || !json.path("error").asText().equals(JsonReplies.reason(response.statusCode()))
                    || !json.path("message").isTextual() || json.path("message").asText().isBlank() || json.size() != 3) {
                    failures.add("not {status, error, message}: " + what);
                }
            } catch (IOException e) {
                failures.add("malformed JSON: " + what);
            }
            for (String leak : List.of("Exception", "\tat ", "java.", "jetty", "127.0.0.1", "localhost", host)) {
                if (response.body().contains(leak)) {
                    failures.add("contains " + leak.strip() + ": " + what);
                }
            }
            if (bad.status() == 401 && !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"monitml\"")) {
                failures.add("no WWW-Authenticate: " + what);
            }
            if (bad.status() == 405 && response.headers().firstValue("Allow").isEmpty()) {
                failures.add("no Allow: " + what);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theIngestTokenGuardsIngestOnlyAndIsIndependentOfTheApiToken() throws Exception {
        final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        final HttpApi http = start(producer, 4, null);
        final String base = "http://127.0.0.1:" + http.port();
        assertThat(post(base + "/ingest", null).statusCode()).isEqualTo(401);
        assertThat(post(base + "/ingest", "wrong").statusCode()).isEqualTo(401);
        assertThat(post(base + "/", INGEST_TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(post(base + "/ingest", API_TOKEN).statusCode()).isEqualTo(401);
        assertThat(producer.history()).isEmpty();
        assertThat(post(base + "/ingest", INGEST_TOKEN).statusCode()).isEqualTo(202);
        assertThat(post(base + "/", INGEST_TOKEN).statusCode()).isEqualTo(202);
        assertThat(producer.history()).hasSize(2);
        // The API wants its own token, not the ingest one; /metrics and /health stay open.
        assertThat(get(base + "/api/v1/units", INGEST_TOKEN).statusCode()).isEqualTo(401);
        assertThat(get(base + "/api/v1/units", API_TOKEN).statusCode()).isEqualTo(503);
        assertThat(get(base + "/metrics", null).statusCode()).isEqualTo(200);
        assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
    }

    /**
     * Ingest requests waiting for Kafka (a producer that does not acknowledge until told) hold no
     * thread: more of them than the port has turns wait at once, and a query still gets a turn. They
     * fill ingest's in-flight limit instead (here room for {@value #HELD} events): the next ingest
     * request is answered 503 with Retry-After at once, without its body being read, the probes and
     * /metrics answer within a second throughout, and once Kafka answers every held request gets its
     * 202 and ingest admits again.
     */
    @Test
    void ingestWaitingForKafkaHoldsNoThreadAndShedsBeyondItsInFlightLimitAtOnce() throws Exception {
        final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        final int threads = 2;
        final long perEvent = EVENT.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + CloudEventIngest.RECORD_OVERHEAD_BYTES;
        final HttpApi http = start(producer, HttpApi.Settings.of(threads).withQueue(2), HELD * perEvent);
        final String base = "http://127.0.0.1:" + http.port();
        final List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < HELD; i++) {
            posts.add(client.sendAsync(postRequest(base + "/ingest", INGEST_TOKEN), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == HELD);
        assertThat(get(base + "/api/v1/units", API_TOKEN).statusCode()).as("a query gets a turn").isEqualTo(503);
        assertThat(http.shedRequests()).as("the query was not shed").isZero();

        long slowestProbe = 0;
        for (int i = 0; i < 20; i++) {
            for (String probe : List.of("/health/live", "/health/ready", "/health", "/metrics")) {
                final long sent = System.nanoTime();
                final HttpResponse<String> answer = get(base + probe, null);
                slowestProbe = Math.max(slowestProbe, (System.nanoTime() - sent) / 1_000_000);
                assertThat(answer.statusCode()).as(probe).isEqualTo(200);
            }
        }
        long slowestRefusal = 0;
        for (int i = 0; i < 5; i++) {
            final long sent = System.nanoTime();
            final HttpResponse<String> refused = post(base + "/ingest", INGEST_TOKEN);
            slowestRefusal = Math.max(slowestRefusal, (System.nanoTime() - sent) / 1_000_000);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue(JsonReplies.RETRY_AFTER_SECONDS);
            assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("service unavailable");
            assertThat(JSON.readTree(refused.body()).path("message").asText()).contains("busy");
        }
        System.out.printf("%d ingest requests waiting for Kafka with %d turns: 80 probes answered 200, the slowest in %d ms;"
            + " 5 more ingest requests answered 503, the slowest in %d ms%n", HELD, threads, slowestProbe, slowestRefusal);
        assertThat(slowestProbe).as("the slowest probe, ms").isLessThan(1_000);
        assertThat(slowestRefusal).as("the slowest refusal, ms").isLessThan(1_000);
        assertThat(http.shedRequests()).isEqualTo(5);
        assertThat(producer.history()).as("nothing of the refused requests was written").hasSize(HELD);

        // Once Kafka answers, every held request completes and ingest admits again.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            while (producer.completeNext()) {
                // acknowledge what is there
            }
            return posts.stream().allMatch(CompletableFuture::isDone);
        });
        for (CompletableFuture<HttpResponse<String>> post : posts) {
            assertThat(post.get(1, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        }
        final CompletableFuture<HttpResponse<String>> next = client.sendAsync(postRequest(base + "/ingest", INGEST_TOKEN),
            HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == HELD + 1);
        producer.completeNext();
        assertThat(next.get(10, TimeUnit.SECONDS).statusCode()).as("room in flight again").isEqualTo(202);
    }

    /** Ingest requests the in-flight limit of the test of shedding has room for: more than the port's turns. */
    private static final int HELD = 6;

    /**
     * Ingest checks the token, then the declared length, before it reads a byte of the body: a client
     * that declares 256 MiB and sends none of it gets its 401 or 413 at once.
     */
    @Test
    void refusesAnUnauthenticatedOrOversizedIngestBodyBeforeReadingIt() throws Exception {
        final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        final HttpApi http = start(producer, 4, null);
        final String head = "POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Type: " + CloudEventIngest.STRUCTURED + "\r\n"
            + "Content-Length: " + (256L << 20) + "\r\n";
        for (String[] attempt : new String[][] {{"", "401"}, {"Authorization: Bearer wrong\r\n", "401"},
            {"Authorization: Bearer " + INGEST_TOKEN + "\r\n", "413"}}) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", http.port())) {
                socket.setSoTimeout(5_000);
                final long sent = System.nanoTime();
                socket.getOutputStream().write((head + attempt[0] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                final String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                final long millis = (System.nanoTime() - sent) / 1_000_000;
                assertThat(answer).as(attempt[0]).startsWith("HTTP/1.1 " + attempt[1]).containsIgnoringCase("Connection: close");
                assertThat(millis).as("answered without the body, ms").isLessThan(1_000);
            }
        }
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void servesTheWholePortOverTlsFromAPkcs12Keystore() throws Exception {
        final Path keystore = keystore("changeit-123");
        final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        final HttpApi http = start(producer, HttpApi.Settings.of(4).withTls(HttpTls.context(keystore, "changeit-123")));
        final HttpClient tls = HttpClient.newBuilder().sslContext(trusting(keystore, "changeit-123"))
            .connectTimeout(Duration.ofSeconds(2)).build();
        final String base = "https://localhost:" + http.port();
        assertThat(tls.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(200);
        assertThat(tls.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(200);
        assertThat(tls.send(postRequest("https://127.0.0.1:" + http.port() + "/ingest", INGEST_TOKEN),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
        assertThat(producer.history()).hasSize(1);
        assertThat(tls.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/units")).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(401);
        // Plain HTTP to the TLS port gets no HTTP answer; a client that does not trust the certificate fails the handshake.
        assertThatThrownBy(() -> get("http://127.0.0.1:" + http.port() + "/health", null)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(base + "/health", null)).isInstanceOf(IOException.class);
    }

    @Test
    void aWrongKeystorePasswordOrAMissingKeystoreNamesTheOption() throws Exception {
        final Path keystore = keystore("right-password");
        assertThatThrownBy(() -> HttpTls.context(keystore, "wrong-password"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--http-tls-keystore").hasMessageContaining("wrong password")
            .hasMessageContaining("MONITML_HTTP_TLS_KEYSTORE_PASSWORD");
        assertThatThrownBy(() -> HttpTls.context(dir.resolve("absent.p12"), "x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--http-tls-keystore").hasMessageContaining("does not exist");
        final Path notAKeystore = Files.writeString(dir.resolve("not.p12"), "hello");
        assertThatThrownBy(() -> HttpTls.context(notAKeystore, "x"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--http-tls-keystore");
    }

    private HttpApi start(final MockProducer<byte[], byte[]> producer, final int threads, final SSLContext tls) {
        return start(producer, HttpApi.Settings.of(threads).withTls(tls));
    }

    private HttpApi start(final MockProducer<byte[], byte[]> producer, final HttpApi.Settings settings) {
        return start(producer, settings, CloudEventIngest.DEFAULT_MAX_IN_FLIGHT_BYTES);
    }

    private HttpApi start(final MockProducer<byte[], byte[]> producer, final HttpApi.Settings settings, final long maxInFlightBytes) {
        final CloudEventIngest ingest = new CloudEventIngest(producer, "raw", CloudEventIngest.Settings.defaults()
            .withMaxBodyBytes(MAX_BODY).withSendTimeout(Duration.ofSeconds(30)).withToken(INGEST_TOKEN).withMaxInFlightBytes(maxInFlightBytes),
            IngestListener.NONE, Clock.systemUTC());
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final HttpApi.Bound port = HttpApi.bind("127.0.0.1", 0, settings);
        final HttpApi http = port.serve(registry, () -> KafkaStreams.State.RUNNING, ingest, null, new StaticPage("/ui/", "/io/monitml/ui/"),
            new QueryApi(notStarted(), new HostInfo("127.0.0.1", port.port()), settings.tls() == null ? "http" : "https", API_TOKEN,
                io.monitml.config.Defaults.topology(), registry, Clock.systemUTC()));
        open.add(http);
        return http;
    }

    /** A Kafka Streams client created and never started, as the query API has it while MonitML starts. */
    private KafkaStreams notStarted() {
        final org.apache.kafka.streams.StreamsBuilder builder = new org.apache.kafka.streams.StreamsBuilder();
        builder.stream("raw");
        final java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG, "http-api-test");
        props.put(org.apache.kafka.streams.StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        final KafkaStreams streams = new KafkaStreams(builder.build(), props);
        open.add(streams);
        return streams;
    }

    private HttpResponse<String> post(final String url, final String token) throws Exception {
        return client.send(postRequest(url, token), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest postRequest(final String url, final String token) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
            .header("Content-Type", CloudEventIngest.STRUCTURED)
            .POST(HttpRequest.BodyPublishers.ofString(EVENT));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private HttpResponse<String> get(final String url, final String token) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A PKCS12 keystore with an EC key for localhost and 127.0.0.1, made by the JDK's keytool. */
    private Path keystore(final String password) throws Exception {
        final Path file = dir.resolve("http-" + password + ".p12");
        final Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "monitml", "-keyalg", "EC", "-storetype", "PKCS12", "-keystore", file.toString(),
            "-storepass", password, "-keypass", password, "-dname", "CN=localhost", "-validity", "2",
            "-ext", "SAN=ip:127.0.0.1,dns:localhost")
            .redirectErrorStream(true).start();
        final String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        return file;
    }

    /** An SSL context trusting only the keystore's certificate. */
    private static SSLContext trusting(final Path keystore, final String password) throws Exception {
        final KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password.toCharArray());
        }
        final Certificate certificate = keys.getCertificate("monitml");
        final KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("monitml", certificate);
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
