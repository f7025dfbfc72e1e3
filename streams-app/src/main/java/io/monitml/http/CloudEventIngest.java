package io.monitml.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.clients.producer.Producer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.config.Defaults;

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
    /** Where labels are posted. */
    public static final String LABELS_PATH = "/api/v1/labels";
    public static final int DEFAULT_MAX_BODY_BYTES = Defaults.INGEST_MAX_BODY;
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Defaults.duration(Defaults.HTTP_READ_TIMEOUT);
    /** Half the producer's default {@code buffer.memory} (32 MiB): a send never waits for room in it. */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 16L << 20;

    static final String STRUCTURED = IngestBatch.STRUCTURED;
    static final String BATCH = IngestBatch.BATCH;
    /** Counted in flight per request besides its body: its record's CloudEvents headers and the producer's framing. */
    static final int RECORD_OVERHEAD_BYTES = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(CloudEventIngest.class);

    /**
     * How ingest takes requests.
     *
     * @param maxBodyBytes     the largest request body accepted
     * @param sendTimeout      how long to wait for the broker's acknowledgements of one request
     * @param readTimeout      how long the body may take to arrive once reading starts; then 408
     * @param token            the bearer token every request must carry ({@code Authorization: Bearer <token>}); null: none
     * @param maxInFlightBytes request bodies (declared or read), plus {@value #RECORD_OVERHEAD_BYTES} bytes each, admitted
     *                         and not yet reported on by the producer, at most; beyond it 503 with {@code Retry-After}. A
     *                         request is admitted whatever its size when nothing is in flight
     */
    public record Settings(int maxBodyBytes, Duration sendTimeout, Duration readTimeout, String token, long maxInFlightBytes) {

        public Settings {
            Objects.requireNonNull(sendTimeout, "sendTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
        }

        /** 1 MiB bodies, 10 s to send, 30 s to read, no token, 16 MiB in flight. */
        public static Settings defaults() {
            return new Settings(DEFAULT_MAX_BODY_BYTES, DEFAULT_SEND_TIMEOUT, DEFAULT_READ_TIMEOUT, null, DEFAULT_MAX_IN_FLIGHT_BYTES);
        }

        public Settings withMaxBodyBytes(final int bytes) {
            return new Settings(bytes, sendTimeout, readTimeout, token, maxInFlightBytes);
        }

        public Settings withSendTimeout(final Duration timeout) {
            return new Settings(maxBodyBytes, timeout, readTimeout, token, maxInFlightBytes);
        }

        public Settings withReadTimeout(final Duration timeout) {
            return new Settings(maxBodyBytes, sendTimeout, timeout, token, maxInFlightBytes);
        }

        public Settings withToken(final String bearerToken) {
            return new Settings(maxBodyBytes, sendTimeout, readTimeout, bearerToken, maxInFlightBytes);
        }

        public Settings withMaxInFlightBytes(final long bytes) {
            return new Settings(maxBodyBytes, sendTimeout, readTimeout, token, bytes);
        }
    }

    private final String topic;
    private final Clock clock;
    private final BearerToken token;
    private final InFlightBudget budget;
    private final IngestAnswers answers;
    private final BodyReader reader;
    private final KafkaDelivery delivery;
    private final IngestFormat format;
    private final Settings settings;

    /** With the default settings, no listener and the system clock. */
    public CloudEventIngest(final Producer<byte[], byte[]> producer, final String topic) {
        this(producer, topic, Settings.defaults(), IngestListener.NONE, Clock.systemUTC());
    }

    /**
     * @param producer shared, not closed here; its {@code max.request.size} should exceed the largest
     *                 body plus headers, or large events get 413 from Kafka
     * @param topic    the raw topic
     * @param listener counters
     * @param clock    the records' timestamp: the time each request was received
     */
    public CloudEventIngest(final Producer<byte[], byte[]> producer, final String topic, final Settings settings,
                            final IngestListener listener, final Clock clock) {
        this(producer, topic, settings, listener, clock, IngestFormat.CLOUD_EVENTS);
    }

    /**
     * {@code POST /api/v1/labels}: labels as JSON lines ({@link LabelLines}) to the labels topic, with the same
     * producer, limits, token and answers as this endpoint, and within the same in-flight limit.
     */
    public CloudEventIngest forLabels(final String labelsTopic) {
        return new CloudEventIngest(delivery.producer(), labelsTopic, settings, answers, clock, IngestFormat.LABELS, budget);
    }

    private CloudEventIngest(final Producer<byte[], byte[]> producer, final String topic, final Settings settings,
                             final IngestListener listener, final Clock clock, final IngestFormat format) {
        this(producer, topic, settings, new IngestAnswers(Objects.requireNonNull(listener, "listener")), clock, format,
            new InFlightBudget(settings.maxInFlightBytes()));
    }

    private CloudEventIngest(final Producer<byte[], byte[]> producer, final String topic, final Settings settings,
                             final IngestAnswers answers, final Clock clock, final IngestFormat format, final InFlightBudget budget) {
        this.format = format;
        this.settings = settings;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.token = BearerToken.of(settings.token());
        this.budget = budget;
        this.answers = answers;
        this.reader = new BodyReader(settings.maxBodyBytes(), settings.readTimeout(), answers, budget);
        this.delivery = new KafkaDelivery(Objects.requireNonNull(producer, "producer"), topic, settings.sendTimeout(), answers, budget);
    }

    /**
     * Serves one request that {@link HttpApi} routed to ingest ({@code /}, {@code /ingest}, {@code /ingest/}).
     * No thread waits for the client or for Kafka: the body is read as it arrives ({@link BodyReader}),
     * the records are handed to the producer, and the answer is written when Kafka has acknowledged
     * every record of the request or when the send timeout expires ({@link KafkaDelivery}).
     */
    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) {
        try {
            if (!"POST".equals(request.getMethod())) {
                throw new IngestRejection(405, IngestListener.Reason.METHOD_NOT_ALLOWED,
                    "post " + format.what() + "; " + request.getMethod() + " is not supported");
            }
            authorize(request);
            final long declared = request.getLength();
            if (declared > reader.maxBodyBytes()) {
                reader.refuseTooLarge(request, response, callback, declared + " bytes declared", 0);
                return true;
            }
            // An honest client's body is counted before it uploads it, so that a refusal leaves it unread.
            final long weight = declared > 0 ? declared + RECORD_OVERHEAD_BYTES : 0;
            if (weight > 0 && !budget.admit(weight)) {
                shed(response, callback);
                return true;
            }
            reader.read(request, response, callback, weight, this::received);
        } catch (IngestRejection e) {
            answers.reject(request, response, callback, e);
        } catch (RuntimeException e) {
            answers.internalError(request, response, callback, e);
        }
        return true;
    }

    /** After the body is in: parses and validates it, then writes its records, or answers what is wrong with it. */
    private void received(final Request request, final Response response, final Callback callback, final byte[] body,
                          final long admitted) {
        long held = admitted;
        try {
            if (held == 0 && body.length > 0) {
                // A chunked body: counted once it is in.
                if (!budget.admit(body.length + RECORD_OVERHEAD_BYTES)) {
                    shed(response, callback);
                    return;
                }
                held = body.length + RECORD_OVERHEAD_BYTES;
            }
            final IngestBatch batch = format.read(request.getHeaders(), body, topic, clock.millis());
            if (batch.records().isEmpty()) {
                budget.release(held);
                answers.accept(response, callback, batch);
            } else {
                final long writing = held;
                held = 0;
                delivery.write(request, response, callback, batch, writing);
            }
        } catch (IngestRejection e) {
            budget.release(held);
            answers.reject(request, response, callback, e);
        } catch (RuntimeException e) {
            budget.release(held);
            answers.internalError(request, response, callback, e);
        }
    }

    /** Before the body is read: an unauthenticated client uploads nothing. Constant-time comparison. */
    private void authorize(final Request request) throws IngestRejection {
        if (token == null) {
            return;
        }
        final String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (!token.admits(header)) {
            throw new IngestRejection(401, IngestListener.Reason.UNAUTHORIZED, header == null
                ? "the " + format.what() + " endpoint needs a bearer token: Authorization: Bearer <token>"
                : "the bearer token is not the one configured (--ingest-token-file / MONITML_INGEST_TOKEN)");
        }
    }

    /** 503 with {@code Retry-After}: the bodies of requests waiting for Kafka already fill the in-flight budget. */
    private void shed(final Response response, final Callback callback) {
        LOG.debug("Ingest shed a request: {} bytes in flight", budget.inFlight());
        response.getHeaders().put(HttpHeader.RETRY_AFTER, JsonReplies.RETRY_AFTER_SECONDS);
        JsonReplies.closeAfter(response);
        JsonReplies.error(response, callback, 503, "MonitML's ingest is busy: the events waiting for Kafka's acknowledgement"
            + " fill its in-flight limit of " + budget.max() + " bytes; retry after " + JsonReplies.RETRY_AFTER_SECONDS + " s");
    }

    /** Ingest requests answered 503 because the in-flight limit was reached. */
    public long shedRequests() {
        return budget.shed();
    }

    /** Bytes of request bodies read or declared and not yet answered. */
    long inFlightBytes() {
        return budget.inFlight();
    }
}
