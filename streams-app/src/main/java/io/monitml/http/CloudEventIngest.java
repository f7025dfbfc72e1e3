package io.monitml.http;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.monitml.ingest.CloudEventAttributes;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.Unit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 *   <li>413: a body over the limit (declared, or counted while reading), or a record the producer
 *       refuses as too large (with what became of the request's other events, as for 503). A body
 *       up to twice the limit is read to its end and thrown away before the answer (within the
 *       read timeout), so that a client that writes its whole body before it reads (Python's
 *       urllib, many others) reads the 413 instead of a reset connection; a larger one is refused
 *       at once and its connection closed;</li>
 *   <li>503: the producer failed, or did not acknowledge every record within the send timeout. The
 *       answer says what became of the request's events ({@code events}, {@code written},
 *       {@code failed}, {@code unacknowledged}: the producer may still write those); a retry of the
 *       whole request is harmless, since the pipeline counts an event sent again (same unit, side
 *       and request id, within the pairing wait) once;</li>
 *   <li>503 (with {@code Retry-After}, counted as shed): the in-flight limit is reached; nothing of
 *       the request is read or written.</li>
 * </ul>
 * Errors carry the port's error shape ({@link JsonReplies}).
 *
 * <p>No request holds a thread while it waits: its body is read as it arrives, its records are
 * handed to the producer ({@code send} with a callback; it blocks only while the producer has no
 * metadata, at most {@code max.block.ms}), and the answer is written from the producer's callback
 * when Kafka has acknowledged the last of them, or from Jetty's scheduler when the send timeout
 * expires first; exactly one answer either way. So ingest is outside {@link HttpApi}'s limit of
 * threads, and bounded instead by the bytes in flight: the bodies (plus {@value #RECORD_OVERHEAD_BYTES}
 * bytes each) of requests admitted and not yet reported on by the producer, at most
 * {@code maxInFlightBytes} (the application gives half the producer's {@code buffer.memory}, so that
 * a send never waits for room in it). Beyond it the answer is 503 with {@code Retry-After} at once,
 * before the body is read when its length is declared.
 */
public final class CloudEventIngest implements Request.Handler {

    public static final String PATH = "/ingest";
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Half the producer's default {@code buffer.memory} (32 MiB): a send never waits for room in it. */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 16L << 20;

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";

    private static final Logger LOG = LoggerFactory.getLogger(CloudEventIngest.class);
    /** The answer to the usual request, one inference event: the same bytes every time. */
    private static final byte[] ACCEPTED_ONE = "{\"accepted\":1,\"ignored\":0}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final int READ_CHUNK = 8192;
    /** Counted in flight per request besides its body: its record's CloudEvents headers and the producer's framing. */
    static final int RECORD_OVERHEAD_BYTES = 1024;
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
    private final long maxInFlightBytes;
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();

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
        this(producer, topic, maxBodyBytes, sendTimeout, readTimeout, listener, clock, token, DEFAULT_MAX_IN_FLIGHT_BYTES);
    }

    /**
     * @param maxInFlightBytes request bodies (declared or read), plus {@value #RECORD_OVERHEAD_BYTES} bytes each,
     *                         admitted and not yet reported on by the producer, at most; beyond it 503
     *                         with {@code Retry-After}. A request is admitted whatever its size when
     *                         nothing is in flight
     */
    public CloudEventIngest(final Producer<byte[], byte[]> producer, final String topic, final int maxBodyBytes,
                            final Duration sendTimeout, final Duration readTimeout, final IngestListener listener, final Clock clock,
                            final String token, final long maxInFlightBytes) {
        if (maxInFlightBytes <= 0) {
            throw new IllegalArgumentException("maxInFlightBytes must be positive, got " + maxInFlightBytes);
        }
        this.maxInFlightBytes = maxInFlightBytes;
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
     * No thread waits for the client or for Kafka: the body is read as it arrives (a thread of the
     * port's pool runs each part of it), the records are handed to the producer, and the answer is
     * written when Kafka has acknowledged every record of the request (from the producer's callback)
     * or when the send timeout expires (from Jetty's scheduler), whichever comes first.
     */
    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) {
        try {
            if (!"POST".equals(request.getMethod())) {
                throw new IngestRejection(405, IngestListener.Reason.METHOD_NOT_ALLOWED,
                    "post CloudEvents; " + request.getMethod() + " is not supported");
            }
            authorize(request);
            final long declared = request.getLength();
            if (declared > maxBodyBytes) {
                refuseTooLarge(request, response, callback, declared + " bytes declared", 0);
                return true;
            }
            // An honest client's body is counted before it uploads it, so that a refusal leaves it unread.
            final long weight = declared > 0 ? declared + RECORD_OVERHEAD_BYTES : 0;
            if (weight > 0 && !admit(weight)) {
                shed(response, callback);
                return true;
            }
            new Read(request, response, callback, weight).run();
        } catch (IngestRejection e) {
            reject(request, response, callback, e);
        } catch (RuntimeException e) {
            internalError(request, response, callback, e);
        }
        return true;
    }

    /** Takes {@code bytes} of the in-flight budget, if there is room: at least one request is always admitted. */
    private boolean admit(final long bytes) {
        final long after = inFlightBytes.addAndGet(bytes);
        if (after > maxInFlightBytes && after != bytes) {
            inFlightBytes.addAndGet(-bytes);
            shed.incrementAndGet();
            return false;
        }
        return true;
    }

    private void release(final long bytes) {
        if (bytes > 0) {
            inFlightBytes.addAndGet(-bytes);
        }
    }

    /** 503 with {@code Retry-After}: the bodies of requests waiting for Kafka already fill the in-flight budget. */
    private void shed(final Response response, final Callback callback) {
        LOG.debug("Ingest shed a request: {} bytes in flight", inFlightBytes.get());
        response.getHeaders().put(HttpHeader.RETRY_AFTER, JsonReplies.RETRY_AFTER_SECONDS);
        JsonReplies.closeAfter(response);
        JsonReplies.error(response, callback, 503, "MonitML's ingest is busy: the events waiting for Kafka's acknowledgement"
            + " fill its in-flight limit of " + maxInFlightBytes + " bytes; retry after " + JsonReplies.RETRY_AFTER_SECONDS + " s");
    }

    /** Ingest requests answered 503 because the in-flight limit was reached. */
    public long shedRequests() {
        return shed.get();
    }

    /** Bytes of request bodies read or declared and not yet answered. */
    long inFlightBytes() {
        return inFlightBytes.get();
    }

    /** After the body is in: parses and validates it, then writes its records, or answers what is wrong with it. */
    private void received(final Request request, final Response response, final Callback callback, final byte[] body,
                          final long admitted) {
        long held = admitted;
        try {
            if (held == 0 && body.length > 0) {
                // A chunked body: counted once it is in.
                if (!admit(body.length + RECORD_OVERHEAD_BYTES)) {
                    shed(response, callback);
                    return;
                }
                held = body.length + RECORD_OVERHEAD_BYTES;
            }
            final Batch batch = prepare(request, body);
            if (batch.records.isEmpty()) {
                release(held);
                accept(response, callback, batch);
            } else {
                final long writing = held;
                held = 0;
                new Write(request, response, callback, batch, writing).start();
            }
        } catch (IngestRejection e) {
            release(held);
            reject(request, response, callback, e);
        } catch (RuntimeException e) {
            release(held);
            internalError(request, response, callback, e);
        }
    }

    private void internalError(final Request request, final Response response, final Callback callback, final RuntimeException e) {
        LOG.warn("Ingest of {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
        reject(request, response, callback, new IngestRejection(500, IngestListener.Reason.INTERNAL_ERROR,
            "the event could not be processed; the server's log has the reason"));
    }

    /** Counts the request's ignored events (the written ones are counted as Kafka acknowledges them) and answers 202 with both. */
    private void accept(final Response response, final Callback callback, final Batch batch) {
        batch.ignoredTypes.forEach(listener::ignored);
        final int written = batch.writtenTypes.size();
        final int ignored = batch.ignoredTypes.size();
        if (written == 1 && ignored == 0) {
            JsonReplies.send(response, callback, 202, JsonReplies.JSON, ACCEPTED_ONE);
        } else {
            JsonReplies.json(response, callback, 202, JsonReplies.MAPPER.createObjectNode()
                .put("accepted", written)
                .put("ignored", ignored));
        }
    }

    /** Parses and validates the body: the records to write and the types of its events. */
    private Batch prepare(final Request request, final byte[] body) throws IngestRejection {
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
        return new Batch(records, writtenTypes, ignoredTypes);
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
                "missing " + naming.name(CloudEventAttributes.TYPE));
        }
        if (EventKind.fromCloudEventType(event.type()) == EventKind.OTHER) {
            return false;
        }
        if (isBlank(event.requestId())) {
            throw new IngestRejection(400, IngestListener.Reason.MISSING_REQUEST_ID,
                "missing " + naming.name(CloudEventAttributes.REQUEST_ID) + " (a " + event.type() + " event needs one to be paired)");
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
    private static final Map<String, String> IDENTITY = Map.of(CloudEventAttributes.NAMESPACE, "namespace",
        CloudEventAttributes.INFERENCE_SERVICE_NAME, "deployment", CloudEventAttributes.ENDPOINT, "variant", CloudEventAttributes.MODEL_ID, "model");

    /**
     * One request's records on their way to Kafka: answered exactly once, when the producer has
     * reported on every record (202 when all were acknowledged, 503 or 413 with what became of each
     * otherwise), or when the send timeout expires first (503 with how many were acknowledged: the
     * others may still be written). Its bytes stay counted in flight until the producer has reported
     * on every record (acknowledged, failed or expired after {@code delivery.timeout.ms}), since until
     * then they take room in its buffer. The acknowledgements and failures arrive on the producer's
     * I/O thread: what runs there is counting and handing the small answer to Jetty, which writes it
     * without blocking (a connection that cannot take it at once is completed later by Jetty's
     * selector, and the next request of the connection goes to Jetty's pool).
     */
    private final class Write {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Batch batch;
        private final long bytes;
        private final AtomicInteger outstanding;
        private final AtomicInteger written = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        private final AtomicBoolean answered = new AtomicBoolean();
        private final Scheduler.Task timeout;

        Write(final Request request, final Response response, final Callback callback, final Batch batch, final long bytes) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.batch = batch;
            this.bytes = bytes;
            this.outstanding = new AtomicInteger(batch.records.size());
            this.timeout = request.getComponents().getScheduler().schedule(this::timedOut, sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void start() {
            final List<ProducerRecord<byte[], byte[]>> records = batch.records;
            int sent = 0;
            try {
                for (; sent < records.size(); sent++) {
                    final String type = batch.writtenTypes.get(sent);
                    // Blocks only while the producer has no metadata for the topic or no room in its buffer (max.block.ms).
                    producer.send(records.get(sent), (metadata, exception) -> completed(type, exception));
                }
            } catch (RuntimeException e) {
                // send() itself throws when the producer is closed or cannot get metadata in max.block.ms:
                // this record and those after it are never handed over.
                final int notSent = records.size() - sent;
                firstFailure.compareAndSet(null, e);
                failed.addAndGet(notSent);
                if (outstanding.addAndGet(-notSent) == 0) {
                    finish();
                }
            }
        }

        private void completed(final String type, final Exception exception) {
            if (exception == null) {
                written.incrementAndGet();
                listener.accepted(type);
            } else {
                firstFailure.compareAndSet(null, exception);
                failed.incrementAndGet();
            }
            if (outstanding.decrementAndGet() == 0) {
                finish();
            }
        }

        /** Every record reported on. */
        private void finish() {
            release(bytes);
            if (answered.compareAndSet(false, true)) {
                timeout.cancel();
                try {
                    if (failed.get() == 0) {
                        accept(response, callback, batch);
                    } else {
                        reject(request, response, callback, kafkaFailure(firstFailure.get(),
                            new IngestRejection.Delivery(batch.records.size(), written.get(), failed.get(), 0)));
                    }
                } catch (RuntimeException e) {
                    internalError(request, response, callback, e);
                }
            }
        }

        private void timedOut() {
            if (answered.compareAndSet(false, true)) {
                final int events = batch.records.size();
                final int acknowledged = written.get();
                final int refused = failed.get();
                reject(request, response, callback, kafkaFailure(new TimeoutException("no acknowledgement within the send timeout"),
                    new IngestRejection.Delivery(events, acknowledged, refused, Math.max(0, events - acknowledged - refused))));
            }
        }
    }

    /**
     * The answer when some of a request's events were not written: 413 when Kafka refused one as too
     * large (a retry cannot help it), 503 otherwise, with what became of the others. A retry of the
     * whole request is harmless: the pipeline counts a resent event once.
     */
    private IngestRejection kafkaFailure(final Throwable cause, final IngestRejection.Delivery delivery) {
        if (cause instanceof RecordTooLargeException) {
            LOG.debug("Kafka refused an ingest record as too large", cause);
            return new IngestRejection(413, IngestListener.Reason.TOO_LARGE,
                "an event is larger than Kafka accepts (the producer's max.request.size or the topic's max.message.bytes); "
                    + outcome(delivery), delivery);
        }
        final long failures = kafkaFailures.incrementAndGet();
        if (failures == 1 || failures % LOG_EVERY_NTH_FAILURE == 0) {
            LOG.warn("{} ingest request(s) could not be written to {} so far", failures, topic, cause);
        }
        // The cause goes to the log only: Kafka's messages name brokers and topics.
        return new IngestRejection(503, IngestListener.Reason.KAFKA_UNAVAILABLE, outcome(delivery)
            + "; retry the request: MonitML counts an event sent again (same unit, side and request id) once", delivery);
    }

    /** What became of the events, in words. */
    private String outcome(final IngestRejection.Delivery delivery) {
        final String waited = " within " + sendTimeout.toMillis() + " ms";
        if (delivery.events() == 1) {
            return delivery.unacknowledged() == 1
                ? "Kafka did not acknowledge the event" + waited + "; it may still be written"
                : "the event could not be written to Kafka";
        }
        final StringBuilder text = new StringBuilder().append(delivery.written()).append(" of ").append(delivery.events())
            .append(" events were written to Kafka");
        if (delivery.failed() > 0) {
            text.append(", ").append(delivery.failed()).append(" could not be");
        }
        if (delivery.unacknowledged() > 0) {
            text.append(", ").append(delivery.unacknowledged()).append(" were not acknowledged").append(waited)
                .append(" and may still be written");
        }
        return text.toString();
    }

    /**
     * Reads the body as it arrives, up to the limit, within the read timeout, without holding a
     * thread while it waits: each part is copied by whichever thread of the port's pool Jetty runs
     * it on. The declared length has been checked before ({@link #handle}); a chunked body has none
     * and is counted instead. A refused body is never read further: the connection closes after the
     * answer. The read timeout's timer is set only if the body is not all there at the first read
     * (the usual small event comes with its headers).
     */
    private final class Read implements Runnable {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final long admitted;
        private byte[] body;
        private int length;
        private final AtomicBoolean late = new AtomicBoolean();
        private Scheduler.Task deadline;

        Read(final Request request, final Response response, final Callback callback, final long admitted) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.admitted = admitted;
            this.body = new byte[admitted > 0 ? (int) (admitted - RECORD_OVERHEAD_BYTES) : READ_CHUNK];
        }

        @Override
        public void run() {
            try {
                while (true) {
                    final Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        if (deadline == null) {
                            deadline = readDeadline(request, this::expire);
                        }
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        finish();
                        release(admitted);
                        reject(request, response, callback, late.get()
                            ? new IngestRejection(408, IngestListener.Reason.TIMEOUT,
                                "the body was not received within the read timeout of " + readTimeout.toMillis() + " ms")
                            : IngestRejection.malformed("the body could not be read: the connection failed or the chunked encoding is broken"));
                        return;
                    }
                    final boolean last = chunk.isLast();
                    final java.nio.ByteBuffer bytes = chunk.getByteBuffer();
                    final int read = bytes.remaining();
                    if ((long) length + read > maxBodyBytes) {
                        chunk.release();
                        finish();
                        release(admitted);
                        if (last) {
                            reject(request, response, callback, tooLarge("more than that sent"));
                        } else {
                            refuseTooLarge(request, response, callback, "more than that sent", (long) length + read);
                        }
                        return;
                    }
                    if (length + read > body.length) {
                        body = java.util.Arrays.copyOf(body, Math.min(maxBodyBytes, Math.max(body.length * 2, length + read)));
                    }
                    bytes.get(body, length, read);
                    length += read;
                    chunk.release();
                    if (last) {
                        finish();
                        received(request, response, callback, length == body.length ? body : java.util.Arrays.copyOf(body, length),
                            admitted);
                        return;
                    }
                }
            } catch (RuntimeException e) {
                finish();
                release(admitted);
                internalError(request, response, callback, e);
            }
        }

        private void expire() {
            late.set(true);
            request.fail(new TimeoutException("request body not received within the read timeout"));
        }

        private void finish() {
            if (deadline != null) {
                deadline.cancel();
            }
        }
    }

    /** A sender that drips its body would keep its request for ever: {@code expire} fails the read at the read timeout. */
    private Scheduler.Task readDeadline(final Request request, final Runnable expire) {
        return request.getComponents().getScheduler().schedule(expire, readTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Answers 413 to a body over the limit: after reading the rest of it and throwing it away when
     * it is at most twice the limit, at once otherwise. A server that answers and closes while the
     * client still writes resets the connection, and a client that writes its whole body before it
     * reads never sees the answer.
     */
    private void refuseTooLarge(final Request request, final Response response, final Callback callback, final String actual,
                                final long alreadyRead) {
        final IngestRejection rejection = tooLarge(actual);
        final long declared = request.getLength();
        if (declared > 2L * maxBodyBytes) {
            reject(request, response, callback, rejection);
            return;
        }
        new Drain(request, response, callback, rejection, alreadyRead).run();
    }

    /** Reads a refused body to its end, up to twice the limit and within the read timeout, then answers. */
    private final class Drain implements Runnable {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final IngestRejection rejection;
        private long drained;
        private Scheduler.Task deadline;

        Drain(final Request request, final Response response, final Callback callback, final IngestRejection rejection,
              final long alreadyRead) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.rejection = rejection;
            this.drained = alreadyRead;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    final Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        if (deadline == null) {
                            deadline = readDeadline(request,
                                () -> request.fail(new TimeoutException("refused body not drained within the read timeout")));
                        }
                        request.demand(this);
                        return;
                    }
                    final boolean failed = Content.Chunk.isFailure(chunk);
                    final boolean last = chunk.isLast();
                    drained += failed ? 0 : chunk.remaining();
                    chunk.release();
                    if (failed || last || drained > 2L * maxBodyBytes) {
                        if (deadline != null) {
                            deadline.cancel();
                        }
                        reject(request, response, callback, rejection);
                        return;
                    }
                }
            } catch (RuntimeException e) {
                if (deadline != null) {
                    deadline.cancel();
                }
                internalError(request, response, callback, e);
            }
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
        } else if (rejection.delivery() != null) {
            final IngestRejection.Delivery delivery = rejection.delivery();
            JsonReplies.json(response, callback, rejection.status(), JsonReplies.error(rejection.status(), rejection.getMessage())
                .put("events", delivery.events())
                .put("written", delivery.written())
                .put("failed", delivery.failed())
                .put("unacknowledged", delivery.unacknowledged()));
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
                ? CloudEventAttributes.httpHeader(attribute) + " header"
                : attribute + " attribute";
        }
    }

    /** What a request asks to write: its records, and the types of its written and ignored events, for the counters. */
    private record Batch(List<ProducerRecord<byte[], byte[]>> records, List<String> writtenTypes, List<String> ignoredTypes) {
    }
}
