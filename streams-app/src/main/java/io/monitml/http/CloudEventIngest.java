package io.monitml.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.monitml.ingest.EventKind;
import io.monitml.ingest.Unit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives CloudEvents over HTTP, so that Seldon Core's executor can use MonitML as its request
 * logger URL, and writes each inference event to the raw topic as a binary-mode Kafka CloudEvent
 * ({@code ce_<attribute>} headers, {@code content-type}, key = request id, timestamp = the time of receipt).
 *
 * <p>Paths: {@link HttpApi} routes {@code /ingest} and every method but GET at {@code /} here (the
 * executor posts to the logger URL as configured, often a bare host).
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
 *   <li>405 (with {@code Allow: POST}): not a POST;</li>
 *   <li>408: the body did not arrive within the read timeout;</li>
 *   <li>413: a body over the limit (declared, refused unread, or counted while reading), or a
 *       record the producer refuses as too large;</li>
 *   <li>503: the producer failed or did not acknowledge within the send timeout. Records of the
 *       request that did reach Kafka stay there, so a client that retries may write duplicates.</li>
 * </ul>
 * Errors carry the port's error shape ({@link JsonReplies}).
 *
 * <p>Each request holds its HTTP thread until the broker answers (at most the send timeout,
 * plus the producer's {@code max.block.ms} when it has no metadata); {@link HttpApi} bounds how
 * many do at once.
 */
public final class CloudEventIngest implements Request.Handler {

    public static final String PATH = "/ingest";
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";

    private static final Logger LOG = LoggerFactory.getLogger(CloudEventIngest.class);
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
    private final Duration readTimeout;

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
        this(producer, topic, maxBodyBytes, sendTimeout, DEFAULT_READ_TIMEOUT, listener, clock, token);
    }

    /**
     * @param readTimeout how long the body may take to arrive once this handler starts reading it; then 408
     */
    public CloudEventIngest(final Producer<byte[], byte[]> producer, final String topic, final int maxBodyBytes,
                            final Duration sendTimeout, final Duration readTimeout, final IngestListener listener, final Clock clock,
                            final String token) {
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
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

    /**
     * Serves one request that {@link HttpApi} routed to ingest ({@code /}, {@code /ingest}, {@code /ingest/}).
     * Runs on a thread of the port's limited pool: it holds it while the body arrives (at most the
     * read timeout) and until Kafka acknowledges (at most the send timeout).
     */
    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) {
        try {
            final Accepted accepted = ingest(request);
            JsonReplies.json(response, callback, 202, JsonReplies.MAPPER.createObjectNode()
                .put("accepted", accepted.written)
                .put("ignored", accepted.ignored));
        } catch (IngestRejection e) {
            reject(request, response, callback, e);
        } catch (RuntimeException e) {
            LOG.warn("Ingest of {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            reject(request, response, callback, new IngestRejection(500, IngestListener.Reason.INTERNAL_ERROR,
                "the event could not be processed; the server's log has the reason"));
        }
        return true;
    }

    private Accepted ingest(final Request request) throws IngestRejection {
        if (!"POST".equals(request.getMethod())) {
            throw new IngestRejection(405, IngestListener.Reason.METHOD_NOT_ALLOWED,
                "post CloudEvents; " + request.getMethod() + " is not supported");
        }
        authorize(request);
        final byte[] body = readBody(request);
        final String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
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
            events = List.of(BinaryCloudEvent.read(request.getHeaders(), body));
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
    private void authorize(final Request request) throws IngestRejection {
        if (token == null) {
            return;
        }
        final String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
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
            throw kafkaFailure(e);
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
            LOG.debug("Kafka refused an ingest record as too large", cause);
            return new IngestRejection(413, IngestListener.Reason.TOO_LARGE,
                "the event is larger than Kafka accepts (the producer's max.request.size or the topic's max.message.bytes)");
        }
        final long failed = kafkaFailures.incrementAndGet();
        if (failed == 1 || failed % LOG_EVERY_NTH_FAILURE == 0) {
            LOG.warn("{} ingest request(s) could not be written to {} so far", failed, topic, cause);
        }
        // The cause goes to the log only: Kafka's messages name brokers and topics.
        return new IngestRejection(503, IngestListener.Reason.KAFKA_UNAVAILABLE, cause instanceof TimeoutException
            ? "Kafka did not acknowledge the events within " + sendTimeout.toMillis() + " ms; nothing of this request is accepted"
            : "the events could not be written to Kafka; nothing of this request is accepted; retry later");
    }

    /**
     * Reads the body up to the limit, within the read timeout. The declared length is checked
     * first, so that an honest client is refused before it uploads; a chunked body has none and is
     * counted instead. A refused body is never read further: the connection closes after the answer.
     */
    private byte[] readBody(final Request request) throws IngestRejection {
        final long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge(declared + " bytes declared");
        }
        // A sender that drips its body would hold this thread: fail the read at the deadline.
        final AtomicBoolean late = new AtomicBoolean();
        final Scheduler.Task deadline = request.getComponents().getScheduler().schedule(() -> {
            late.set(true);
            request.fail(new TimeoutException("request body not received within the read timeout"));
        }, readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try (InputStream in = Content.Source.asInputStream(request)) {
            final ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : READ_CHUNK);
            final byte[] chunk = new byte[READ_CHUNK];
            long total = 0;
            for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
                total += read;
                if (total > maxBodyBytes) {
                    throw tooLarge("more than that sent");
                }
                body.write(chunk, 0, read);
            }
            return body.toByteArray();
        } catch (IOException e) {
            if (late.get()) {
                throw new IngestRejection(408, IngestListener.Reason.TIMEOUT,
                    "the body was not received within the read timeout of " + readTimeout.toMillis() + " ms");
            }
            throw IngestRejection.malformed("the body could not be read: the connection failed or the chunked encoding is broken");
        } finally {
            deadline.cancel();
        }
    }

    private IngestRejection tooLarge(final String actual) {
        return new IngestRejection(413, IngestListener.Reason.TOO_LARGE,
            "the body exceeds the limit of " + maxBodyBytes + " bytes (" + actual + ")");
    }

    private void reject(final Request request, final Response response, final Callback callback, final IngestRejection rejection) {
        listener.rejected(rejection.reason());
        LOG.debug("Ingest {} {} answered {}: {}", request.getMethod(), request.getHttpURI().getPath(),
            rejection.status(), rejection.getMessage());
        if (JsonReplies.hasBody(request)) {
            // What is left of the body is not worth reading (refused unread, too large, or broken).
            JsonReplies.closeAfter(response);
        }
        if (rejection.status() == 405) {
            JsonReplies.methodNotAllowed(response, callback, "POST", rejection.getMessage());
        } else {
            JsonReplies.error(response, callback, rejection.status(), rejection.getMessage());
        }
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
