package io.monitml.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's one HTTP port: {@code POST /} and {@code POST /ingest} (Seldon's request logger,
 * see {@link CloudEventIngest}), {@code /metrics} (Prometheus text), {@code /health} (ready:
 * 200 only while Kafka Streams is RUNNING), {@code /health/live} (200 unless Kafka Streams has
 * failed or stopped) and {@code /health/ready}.
 *
 * <p>Requests run on a bounded pool ({@link HttpWorkers}: beyond its queue, 503 with
 * {@code Retry-After}); slow senders are cut off by the JVM-wide read timeout
 * ({@link HttpServerTimeouts}); with an {@link SSLContext} the whole port is HTTPS.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";
    /** Ingest requests hold a thread until Kafka acknowledges; enough threads keep /health and /metrics answering. */
    public static final int DEFAULT_THREADS = 16;

    private final HttpServer server;
    private final HttpWorkers workers;
    private final ApiSlot api;

    private HttpApi(final HttpServer server, final HttpWorkers workers, final ApiSlot api) {
        this.server = server;
        this.workers = workers;
        this.api = api;
    }

    /** Plain HTTP with {@value #DEFAULT_THREADS} threads. */
    public static HttpApi start(final String host, final int port, final PrometheusMeterRegistry metrics,
                                final Supplier<KafkaStreams.State> streamsState, final CloudEventIngest ingest,
                                final HttpHandler ui) {
        return start(host, port, DEFAULT_THREADS, null, metrics, streamsState, ingest, ui);
    }

    /**
     * @param ingest the CloudEvents ingest endpoint, served at {@code POST /} and {@code POST /ingest}; null: not served
     * @param ui     the analysts' page, served under {@code /ui/} ({@code GET /} redirects there); the query API
     *               it reads comes with {@link #serveApi(HttpHandler)} once this instance's address is known
     * @param threads worker threads (their queue holds {@value HttpWorkers#QUEUE_PER_THREAD} times as many requests)
     * @param tls     serve HTTPS with this context; null: plain HTTP
     */
    public static HttpApi start(final String host, final int port, final int threads, final SSLContext tls,
                                final PrometheusMeterRegistry metrics, final Supplier<KafkaStreams.State> streamsState,
                                final CloudEventIngest ingest, final HttpHandler ui) {
        final HttpWorkers workers = new HttpWorkers(threads, "monitml-http");
        final HttpServer server;
        try {
            if (tls == null) {
                server = HttpServer.create(new InetSocketAddress(host, port), 64);
            } else {
                final HttpsServer https = HttpsServer.create(new InetSocketAddress(host, port), 64);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            workers.shutdownNow();
            throw new IllegalStateException("Cannot listen on " + host + ":" + port + " (" + e.getMessage()
                + "); set MONITML_HTTP_PORT or --http-port to a free port", e);
        }
        server.setExecutor(workers.executor());
        final List<HttpContext> contexts = new ArrayList<>();
        final HttpHandler notFound = HttpApi::notFound;
        contexts.add(server.createContext("/metrics", exact("/metrics", notFound,
            exchange -> respond(exchange, "GET", 200, PROMETHEUS_TEXT, metrics::scrape))));
        contexts.add(server.createContext("/health/live", exact("/health/live", notFound,
            exchange -> health(exchange, streamsState.get(), HttpApi::alive))));
        contexts.add(server.createContext("/health/ready", exact("/health/ready", notFound,
            exchange -> health(exchange, streamsState.get(), HttpApi::ready))));
        contexts.add(server.createContext("/health", exact("/health", notFound,
            exchange -> health(exchange, streamsState.get(), HttpApi::ready))));
        final ApiSlot api = new ApiSlot();
        contexts.add(server.createContext("/api/", api));
        contexts.add(server.createContext("/ui/", ui));
        final HttpHandler root = exchange -> {
            if (exchange.getRequestURI().getPath().equals("/") && exchange.getRequestMethod().equalsIgnoreCase("GET")) {
                try (exchange) {
                    exchange.getResponseHeaders().set("Location", "/ui/");
                    exchange.sendResponseHeaders(302, -1);
                }
                return;
            }
            notFound(exchange);
        };
        if (ingest == null) {
            contexts.add(server.createContext("/", root));
        } else {
            contexts.add(server.createContext("/", ingest.atRoot(root)));
            contexts.add(ingest.mount(server));
        }
        contexts.forEach(context -> context.getFilters().add(0, HttpWorkers.filter()));
        server.start();
        LOG.info("HTTP on {}://{}:{} (/ui/, /api/v1, /metrics, /health); {} threads", tls == null ? "http" : "https",
            host, server.getAddress().getPort(), threads);
        return new HttpApi(server, workers, api);
    }

    private static void notFound(final HttpExchange exchange) throws IOException {
        try (exchange) {
            send(exchange, 404, JSON, "{\"error\":\"not found\",\"message\":\"No resource at "
                + jsonEscape(exchange.getRequestURI().getPath()) + "; try /ui/, /api/v1/units, /metrics or /health\"}");
        }
    }

    /** The JDK routes by prefix ({@code /metrics} also gets {@code /metricsx}); this serves the path itself only. */
    private static HttpHandler exact(final String path, final HttpHandler other, final HttpHandler handler) {
        return exchange -> {
            if (exchange.getRequestURI().getPath().equals(path)) {
                handler.handle(exchange);
            } else {
                other.handle(exchange);
            }
        };
    }

    /** Requests waiting for a worker. */
    int queuedRequests() {
        return workers.queued();
    }

    /** Requests answered 503 because every worker was busy and the queue full. */
    public long shedRequests() {
        return workers.shed();
    }

    /** Serves the query API under {@code /api/}; until then it answers 503. */
    public void serveApi(final HttpHandler handler) {
        api.handler = handler;
    }

    /** The {@code /api/} context's handler, set once the instance's address (its actual port) is known. */
    private static final class ApiSlot implements HttpHandler {

        private volatile HttpHandler handler;

        @Override
        public void handle(final HttpExchange exchange) throws IOException {
            final HttpHandler current = handler;
            if (current != null) {
                current.handle(exchange);
                return;
            }
            exchange.getResponseHeaders().set("Retry-After", "2");
            respond(exchange, "GET", 503, JSON, () -> "{\"error\":\"not ready\",\"message\":\"MonitML is starting\"}");
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    static boolean alive(final KafkaStreams.State state) {
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
            && state != KafkaStreams.State.NOT_RUNNING && state != KafkaStreams.State.PENDING_SHUTDOWN;
    }

    static boolean ready(final KafkaStreams.State state) {
        return state == KafkaStreams.State.RUNNING;
    }

    private static void health(final HttpExchange exchange, final KafkaStreams.State state,
                               final java.util.function.Predicate<KafkaStreams.State> check) throws IOException {
        final boolean up = state != null && check.test(state);
        respond(exchange, "GET", up ? 200 : 503, JSON,
            () -> "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"kafkaStreams\":\"" + state + "\"}");
    }

    private static void respond(final HttpExchange exchange, final String method, final int status, final String contentType,
                                final Supplier<String> body) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equalsIgnoreCase(method) && !exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
                exchange.getResponseHeaders().set("Allow", method);
                send(exchange, 405, JSON, "{\"error\":\"method not allowed\",\"message\":\"Use " + method + "\"}");
                return;
            }
            send(exchange, status, contentType, body.get());
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType, final String body)
        throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        final boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static String jsonEscape(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
