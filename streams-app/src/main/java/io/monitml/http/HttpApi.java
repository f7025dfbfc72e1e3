package io.monitml.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's one HTTP port: {@code POST /} and {@code POST /ingest} (Seldon's request logger,
 * see {@link CloudEventIngest}), {@code /metrics} (Prometheus text), {@code /health} (ready:
 * 200 only while Kafka Streams is RUNNING), {@code /health/live} (200 unless Kafka Streams has
 * failed or stopped) and {@code /health/ready}.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";
    /** Ingest requests hold a thread until Kafka acknowledges; enough threads keep /health and /metrics answering. */
    private static final int THREADS = 16;

    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiSlot api;

    private HttpApi(final HttpServer server, final ExecutorService executor, final ApiSlot api) {
        this.server = server;
        this.executor = executor;
        this.api = api;
    }

    /**
     * @param ingest the CloudEvents ingest endpoint, served at {@code POST /} and {@code POST /ingest}; null: not served
     * @param ui     the analysts' page, served under {@code /ui/} ({@code GET /} redirects there); the query API
     *               it reads comes with {@link #serveApi(HttpHandler)} once this instance's address is known
     */
    public static HttpApi start(final String host, final int port, final PrometheusMeterRegistry metrics,
                                final Supplier<KafkaStreams.State> streamsState, final CloudEventIngest ingest,
                                final HttpHandler ui) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen on " + host + ":" + port + " (" + e.getMessage()
                + "); set MONITML_HTTP_PORT or --http-port to a free port", e);
        }
        final ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            final Thread thread = new Thread(runnable, "monitml-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> respond(exchange, "GET", 200, PROMETHEUS_TEXT, metrics::scrape));
        server.createContext("/health/live", exchange -> health(exchange, streamsState.get(), HttpApi::alive));
        server.createContext("/health/ready", exchange -> health(exchange, streamsState.get(), HttpApi::ready));
        server.createContext("/health", exchange -> health(exchange, streamsState.get(), HttpApi::ready));
        final ApiSlot api = new ApiSlot();
        server.createContext("/api/", api);
        server.createContext("/ui/", ui);
        final HttpHandler notFound = exchange -> {
            if (exchange.getRequestURI().getPath().equals("/") && exchange.getRequestMethod().equalsIgnoreCase("GET")) {
                try (exchange) {
                    exchange.getResponseHeaders().set("Location", "/ui/");
                    exchange.sendResponseHeaders(302, -1);
                }
                return;
            }
            respond(exchange, "GET", 404, JSON,
                () -> "{\"error\":\"not found\",\"message\":\"No resource at " + jsonEscape(exchange.getRequestURI().getPath())
                    + "; try /ui/, /api/v1/units, /metrics or /health\"}");
        };
        if (ingest == null) {
            server.createContext("/", notFound);
        } else {
            server.createContext("/", ingest.atRoot(notFound));
            ingest.mount(server);
        }
        server.start();
        LOG.info("HTTP on http://{}:{} (/ui/, /api/v1, /metrics, /health)", host, server.getAddress().getPort());
        return new HttpApi(server, executor, api);
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
        executor.shutdownNow();
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

    private static String jsonEscape(final String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
