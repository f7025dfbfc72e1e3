package io.monitml.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.Unit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives CloudEvents over HTTP, so that Seldon Core's executor can use MonitML as its request
 * logger URL, and writes each inference event to the raw topic as a binary-mode Kafka CloudEvent
 * ({@code ce_<attribute>} headers, {@code content-type}, key = request id, timestamp = the time of receipt).
 *
 * <p>Paths: {@link #mount(HttpServer)} serves {@code POST /ingest}; {@link #atRoot(HttpHandler)}
 * gives the handler for the {@code /} context that serves {@code POST /} (the executor posts to the
 * logger URL as configured, often a bare host) and hands every other path to the app's handler.
 *
 * <p>Modes, chosen by {@code Content-Type}:
 * <ul>
 *   <li>{@code application/cloudevents+json}: structured, one JSON event; {@code data} is written
 *       as its exact JSON text, {@code data_base64} decoded;</li>
 *   <li>{@code application/cloudevents-batch+json}: a JSON array of structured events;</li>
 *   <li>anything else: binary, what Seldon sends: {@code Ce-*} headers (any case) are the
 *       attributes, {@code Content-Type} and the body are the data.</li>
 * </ul>
 *
 * <p>Status codes:
 * <ul>
 *   <li>202: every inference event of the request was acknowledged by the broker; events of other
 *       types (feedback, outlier, drift) are counted and not written;</li>
 *   <li>401 (with {@code WWW-Authenticate: Bearer}): a token is configured and the request does not
 *       carry it as {@code Authorization: Bearer <token>};</li>
 *   <li>400: malformed JSON, no {@code type}, or an inference event without {@code requestid}; a
 *       batch is validated as a whole first and nothing of it is written (the message names the
 *       event's index);</li>
 *   <li>404: a path under {@code /ingest} other than itself; 405 (with {@code Allow: POST}): not a POST;</li>
 *   <li>413: a body over the limit (declared or counted while reading), or a record the producer
 *       refuses as too large;</li>
 *   <li>503: the producer failed or did not acknowledge within the send timeout. Records of the
 *       request that did reach Kafka stay there, so a client that retries may write duplicates.</li>
 * </ul>
 * Errors carry {@code {"error": ..., "message": ...}}.
 *
 * <p>Each request holds its HTTP thread until the broker answers (at most the send timeout,
 * plus the producer's {@code max.block.ms} when it has no metadata), so give the server an
 * executor with enough threads for the expected concurrent posts.
 */
public final class CloudEventIngest implements HttpHandler {

    public static final String PATH = "/ingest";
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    private static final long DRAIN_LIMIT = 64L << 20;
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";

    private static final Logger LOG = LoggerFactory.getLogger(CloudEventIngest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int READ_CHUNK = 8192;
    /** Kafka failures repeat for every post while a broker is down; log only at these counts. */
    private static final long LOG_EVERY_NTH_FAILURE = 1000;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final int maxBodyBytes;
    private final Duration sendTimeout;
    private final IngestListener listener;
    private final Clock clock;
    private final AtomicLong kafkaFailures = new AtomicLong();
    private final BearerToken token;

    /** With the default limit (1 MiB), send timeout (10 s), no listener and the system clock. */
    public CloudEventIngest(final Producer<byte[], byte[]> producer, final String topic) {
        this(producer, topic, DEFAULT_MAX_BODY_BYTES, DEFAULT_SEND_TIMEOUT, IngestListener.NONE, Clock.systemUTC());
    }

    /**
     * @param producer     shared, not closed here; its {@code max.request.size} should exceed
     *                     {@code maxBodyBytes} plus headers, or large events get 413 from Kafka
     * @param topic        the raw topic
     * @param maxBodyBytes the largest request body accepted
     * @param sendTimeout  how long to wait for the broker's acknowledgements of one request
     * @param listener     counters
     * @param clock        the records' timestamp: the time each request was received
     */
    public CloudEventIngest(final Producer<byte[], byte[]> producer, final String topic, final int maxBodyBytes,
                            final Duration sendTimeout, final IngestListener listener, final Clock clock) {
        this(producer, topic, maxBodyBytes, sendTimeout, listener, clock, null);
    }

    /**
     * @param token the bearer token every request must carry ({@code Authorization: Bearer <token>}); null: none
     */
    public CloudEventIngest(final Producer<byte[], byte[]> producer, final String topic, final int maxBodyBytes,
                            final Duration sendTimeout, final IngestListener listener, final Clock clock, final String token) {
        this.token = BearerToken.of(token);
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        this.sendTimeout = Objects.requireNonNull(sendTimeout, "sendTimeout");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Serves {@code POST /ingest} (and {@code /ingest/}) on the server; other paths below it get 404. */
    public HttpContext mount(final HttpServer server) {
        return server.createContext(PATH, exchange -> {
            final String path = exchange.getRequestURI().getPath();
            if (path.equals(PATH) || path.equals(PATH + "/")) {
                handle(exchange);
            } else {
                drain(exchange.getRequestBody());
                reject(exchange, new IngestRejection(404, IngestListener.Reason.NOT_FOUND,
                    "No resource at " + path + "; post CloudEvents to " + PATH + " or /"));
            }
        });
    }

    /**
     * A handler for the server's {@code /} context: {@code /} itself is ingest, every other path
     * goes to {@code otherPaths} (the app's not-found handler), because the JDK server routes all
     * unmatched paths to the {@code /} context.
     */
    public HttpHandler atRoot(final HttpHandler otherPaths) {
        Objects.requireNonNull(otherPaths, "otherPaths");
        return exchange -> {
            // GET / is for people (the app redirects it to its page); every other method at / is an ingest attempt.
            if (exchange.getRequestURI().getPath().equals("/") && !exchange.getRequestMethod().equalsIgnoreCase("GET")) {
                handle(exchange);
            } else {
                otherPaths.handle(exchange);
            }
        };
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                final Accepted accepted = ingest(exchange);
                final ObjectNode body = JSON.createObjectNode()
                    .put("accepted", accepted.written)
                    .put("ignored", accepted.ignored);
                send(exchange, 202, body);
            } catch (IngestRejection e) {
                reject(exchange, e);
            } catch (RuntimeException e) {
                LOG.warn("Ingest of {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                reject(exchange, new IngestRejection(500, IngestListener.Reason.INTERNAL_ERROR,
                    "the event could not be processed; the server's log has the reason"));
            }
        }
    }

    private Accepted ingest(final HttpExchange exchange) throws IOException, IngestRejection {
        if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
            // Read first: past 64 KiB unread, the server resets the connection and the client never sees the 405.
            drain(exchange.getRequestBody());
            throw new IngestRejection(405, IngestListener.Reason.METHOD_NOT_ALLOWED,
                "post CloudEvents; " + exchange.getRequestMethod() + " is not supported");
        }
        authorize(exchange);
        final byte[] body = readBody(exchange);
        final String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        final String mediaType = contentType == null ? ""
            : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        final List<CloudEvent> events;
        final Naming naming;
        if (mediaType.equals(STRUCTURED)) {
            events = List.of(CloudEventJson.readEvent(body));
            naming = Naming.ATTRIBUTE;
        } else if (mediaType.equals(BATCH)) {
            events = CloudEventJson.readBatch(body);
            naming = Naming.ATTRIBUTE;
        } else {
            events = List.of(BinaryCloudEvent.read(exchange.getRequestHeaders(), body));
            naming = Naming.HEADER;
        }
        final long receivedAt = clock.millis();
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        final List<String> writtenTypes = new ArrayList<>(events.size());
        final List<String> ignoredTypes = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            final CloudEvent event = events.get(i);
            try {
                if (!validate(event, naming)) {
                    ignoredTypes.add(event.type());
                    continue;
                }
            } catch (IngestRejection e) {
                throw mediaType.equals(BATCH) ? e.inEvent(i) : e;
            }
            records.add(CloudEventRecords.toRecord(topic, event, receivedAt));
            writtenTypes.add(event.type());
        }
        write(records);
        writtenTypes.forEach(listener::accepted);
        ignoredTypes.forEach(listener::ignored);
        return new Accepted(writtenTypes.size(), ignoredTypes.size());
    }

    /** Before the body is read: an unauthenticated client uploads nothing. Constant-time comparison. */
    private void authorize(final HttpExchange exchange) throws IngestRejection {
        if (token == null) {
            return;
        }
        final String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (!token.admits(header)) {
            throw new IngestRejection(401, IngestListener.Reason.UNAUTHORIZED, header == null
                ? "the ingest endpoint needs a bearer token: Authorization: Bearer <token>"
                : "the bearer token is not the one configured (--ingest-token-file / MONITML_INGEST_TOKEN)");
        }
    }

    /** Returns whether the event is an inference to write; other types need no request id. */
    private static boolean validate(final CloudEvent event, final Naming naming) throws IngestRejection {
        if (isBlank(event.type())) {
            throw new IngestRejection(400, IngestListener.Reason.MISSING_TYPE,
                "missing " + naming.name(CloudEvent.TYPE));
        }
        if (EventKind.fromCloudEventType(event.type()) == EventKind.OTHER) {
            return false;
        }
        if (isBlank(event.requestId())) {
            throw new IngestRejection(400, IngestListener.Reason.MISSING_REQUEST_ID,
                "missing " + naming.name(CloudEvent.REQUEST_ID) + " (a " + event.type() + " event needs one to be paired)");
        }
        for (Map.Entry<String, String> part : IDENTITY.entrySet()) {
            final String problem = Unit.problem(part.getValue(), event.attributes().get(part.getKey()));
            if (problem != null) {
                throw new IngestRejection(400, IngestListener.Reason.BAD_IDENTITY, naming.name(part.getKey()) + ": " + problem);
            }
        }
        return true;
    }

    /** The attributes that name the unit, and the part of it each names. */
    private static final Map<String, String> IDENTITY = Map.of("namespace", "namespace", "inferenceservicename", "deployment",
        "endpoint", "variant", "modelid", "model");

    /** Sends every record, then waits for all acknowledgements within one deadline. */
    private void write(final List<ProducerRecord<byte[], byte[]>> records) throws IngestRejection {
        if (records.isEmpty()) {
            return;
        }
        final long deadline = System.nanoTime() + sendTimeout.toNanos();
        try {
            final List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                acks.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw kafkaFailure(e.getCause() == null ? e : e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw kafkaFailure(new IOException("Kafka did not acknowledge within " + sendTimeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw kafkaFailure(e);
        } catch (RuntimeException e) {
            // send() itself throws when the producer is closed or cannot get metadata in max.block.ms.
            throw kafkaFailure(e);
        }
    }

    private IngestRejection kafkaFailure(final Throwable cause) {
        if (cause instanceof RecordTooLargeException) {
            return new IngestRejection(413, IngestListener.Reason.TOO_LARGE,
                "the event is larger than Kafka accepts: " + cause.getMessage());
        }
        final long failed = kafkaFailures.incrementAndGet();
        if (failed == 1 || failed % LOG_EVERY_NTH_FAILURE == 0) {
            LOG.warn("{} ingest request(s) could not be written to {} so far", failed, topic, cause);
        }
        return new IngestRejection(503, IngestListener.Reason.KAFKA_UNAVAILABLE,
            "the events could not be written to Kafka; nothing of this request is accepted: " + cause.getMessage());
    }

    /**
     * Reads the body up to the limit. The declared length is checked first so that an honest
     * client is refused before it uploads; chunked bodies have none and are counted instead.
     * The server drains or drops the unread rest when the exchange closes.
     */
    private byte[] readBody(final HttpExchange exchange) throws IOException, IngestRejection {
        final String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                final long length = Long.parseLong(declared.trim());
                if (length > maxBodyBytes) {
                    drain(exchange.getRequestBody());
                    throw tooLarge(length + " bytes declared");
                }
            } catch (NumberFormatException e) {
                // The server itself refuses requests with an unusable Content-Length.
            }
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final InputStream in = exchange.getRequestBody();
        final byte[] chunk = new byte[READ_CHUNK];
        long total = 0;
        for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
            total += read;
            if (total > maxBodyBytes) {
                drain(in);
                throw tooLarge("more than that sent");
            }
            body.write(chunk, 0, read);
        }
        return body.toByteArray();
    }

    /**
     * Reads and discards the rest of a body refused unread (too large, wrong method or path), up to
     * a bound, so that a client still uploading sees the answer instead of a reset connection (the
     * server itself drains only 64 KiB); past the bound the server drops it.
     */
    private static void drain(final InputStream in) throws IOException {
        final byte[] sink = new byte[READ_CHUNK];
        long drained = 0;
        for (int read = in.read(sink); read != -1 && drained < DRAIN_LIMIT; read = in.read(sink)) {
            drained += read;
        }
    }

    private IngestRejection tooLarge(final String actual) {
        return new IngestRejection(413, IngestListener.Reason.TOO_LARGE,
            "the body exceeds the limit of " + maxBodyBytes + " bytes (" + actual + ")");
    }

    private void reject(final HttpExchange exchange, final IngestRejection rejection) throws IOException {
        listener.rejected(rejection.reason());
        LOG.debug("Ingest {} {} answered {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
            rejection.status(), rejection.getMessage());
        if (rejection.status() == 405) {
            exchange.getResponseHeaders().set("Allow", "POST");
        }
        if (rejection.status() == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"monitml\"");
        }
        send(exchange, rejection.status(), JSON.createObjectNode()
            .put("error", errorName(rejection.status()))
            .put("message", rejection.getMessage()));
    }

    private static void send(final HttpExchange exchange, final int status, final ObjectNode json) throws IOException {
        final byte[] bytes = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        final boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String errorName(final int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "payload too large";
            case 503 -> "service unavailable";
            default -> "internal error";
        };
    }

    private static boolean isBlank(final String value) {
        return value == null || value.isBlank();
    }

    /** How a missing attribute is named to the client: binary mode's header or the JSON member. */
    private enum Naming {
        HEADER,
        ATTRIBUTE;

        String name(final String attribute) {
            return this == HEADER
                ? "Ce-" + Character.toUpperCase(attribute.charAt(0)) + attribute.substring(1) + " header"
                : attribute + " attribute";
        }
    }

    private record Accepted(int written, int ignored) {
    }
}
