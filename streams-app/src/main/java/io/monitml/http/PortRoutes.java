package io.monitml.http;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The paths of the HTTP port, behind its limit of threads: {@code /metrics}, the probes, the query
 * API, the page, and the redirect from {@code /}. Every path but ingest (which {@link Edge} takes
 * before the limit) takes GET (and HEAD) without a body.
 */
final class PortRoutes extends Handler.Abstract {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry metrics;
    private final Supplier<KafkaStreams.State> streamsState;
    private final Request.Handler ui;
    private final Request.Handler api;

    PortRoutes(final PrometheusMeterRegistry metrics, final Supplier<KafkaStreams.State> streamsState, final Request.Handler ui,
               final Request.Handler api) {
        this.metrics = metrics;
        this.streamsState = streamsState;
        this.ui = ui;
        this.api = api;
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) throws Exception {
        final String path = request.getHttpURI().getPath();
        final boolean get = isGet(request);
        final Request.Handler route = route(path);
        if (route == null) {
            closeIfBody(request, response);
            JsonReplies.error(response, callback, 404, "No resource at " + path + "; try /ui/, /api/v1/units, /metrics or /health");
            return true;
        }
        if (!get) {
            closeIfBody(request, response);
            JsonReplies.methodNotAllowed(response, callback, "GET", "Use GET (or HEAD) for " + path + "; "
                + request.getMethod() + " is not supported");
            return true;
        }
        if (JsonReplies.hasBody(request)) {
            JsonReplies.closeAfter(response);
            JsonReplies.error(response, callback, 413, "GET " + path + " takes no request body");
            return true;
        }
        return route.handle(request, response, callback);
    }

    private Request.Handler route(final String path) {
        return switch (path) {
            case "/metrics" -> (request, response, callback) -> {
                JsonReplies.send(response, callback, 200, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8));
                return true;
            };
            case "/health", "/health/ready" -> health(PortRoutes::ready);
            case "/health/live" -> health(PortRoutes::alive);
            case "/" -> (request, response, callback) -> {
                // 302 for HEAD too (Jetty's default would be 303 for any method but GET); the request has no body to consume.
                Response.sendRedirect(request, response, callback, 302, "/ui/", false);
                return true;
            };
            default -> {
                if (path.equals("/api") || path.startsWith("/api/")) {
                    yield api != null ? api : (request, response, callback) -> {
                        JsonReplies.error(response, callback, 404, "This port serves no query API");
                        return true;
                    };
                }
                yield path.equals("/ui") || path.startsWith("/ui/") ? ui : null;
            }
        };
    }

    private Request.Handler health(final Predicate<KafkaStreams.State> check) {
        return (request, response, callback) -> {
            final KafkaStreams.State state = streamsState.get();
            if (state != null && check.test(state)) {
                JsonReplies.json(response, callback, 200, JsonReplies.MAPPER.createObjectNode()
                    .put("status", "UP").put("kafkaStreams", state.toString()));
            } else {
                JsonReplies.json(response, callback, 503, JsonReplies.error(503, "Kafka Streams is " + state)
                    .put("kafkaStreams", String.valueOf(state)));
            }
            return true;
        };
    }

    private static boolean isGet(final Request request) {
        return request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
    }

    private static void closeIfBody(final Request request, final Response response) {
        if (JsonReplies.hasBody(request)) {
            JsonReplies.closeAfter(response);
        }
    }

    /** {@code /ingest}, {@code /ingest/}, and every method but GET and HEAD at {@code /} (GET / is for people: redirected to the page). */
    static boolean isIngest(final Request request) {
        final String path = request.getHttpURI().getPath();
        if (path.equals("/")) {
            final String method = request.getMethod();
            return !method.equals("GET") && !method.equals("HEAD");
        }
        return path.equals(CloudEventIngest.PATH) || path.equals(CloudEventIngest.PATH + "/");
    }

    static boolean alive(final KafkaStreams.State state) {
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
            && state != KafkaStreams.State.NOT_RUNNING && state != KafkaStreams.State.PENDING_SHUTDOWN;
    }

    static boolean ready(final KafkaStreams.State state) {
        return state == KafkaStreams.State.RUNNING;
    }

    /**
     * First on every request: the headers every answer carries, the bound on the number of header
     * fields, and ingest (CloudEvents, and labels at {@value CloudEventIngest#LABELS_PATH}), which is outside the limit of threads (its requests hold none while they
     * wait) and bounded by its own in-flight limit ({@link CloudEventIngest}).
     */
    static final class Edge extends Handler.Wrapper {

        private final CloudEventIngest ingest;
        private final CloudEventIngest labels;

        Edge(final CloudEventIngest ingest, final CloudEventIngest labels, final Handler next) {
            super(next);
            this.ingest = ingest;
            this.labels = labels;
        }

        @Override
        public boolean handle(final Request request, final Response response, final Callback callback) throws Exception {
            response.getHeaders().put(JsonReplies.NOSNIFF, "nosniff");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            if (request.getHeaders().size() > HeaderLimits.MAX_HEADERS) {
                JsonReplies.closeAfter(response);
                JsonReplies.error(response, callback, 431, JsonErrorHandler.message(431));
                return true;
            }
            if (ingest != null && isIngest(request)) {
                return ingest.handle(request, response, callback);
            }
            if (labels != null && request.getHttpURI().getPath().equals(CloudEventIngest.LABELS_PATH)) {
                return labels.handle(request, response, callback);
            }
            return super.handle(request, response, callback);
        }
    }
}
