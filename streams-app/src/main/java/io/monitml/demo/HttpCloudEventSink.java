package io.monitml.demo;

import static io.monitml.ingest.CloudEventAttributes.httpHeader;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.ingest.CloudEventAttributes;

/**
 * Posts each event the way the Seldon Core v1 executor's request logger does: one HTTP POST per
 * event in CloudEvents binary mode ({@code Ce-*} headers, the body as is). Requests run
 * asynchronously with a bounded number in flight, as the executor's logger workers do.
 */
public final class HttpCloudEventSink implements SeldonEventSink {

    private static final Logger LOG = LoggerFactory.getLogger(HttpCloudEventSink.class);
    private static final int MAX_IN_FLIGHT = 64;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI loggerUrl;
    private final InFlight inFlight = new InFlight(MAX_IN_FLIGHT);
    private final AtomicLong failures = new AtomicLong();

    private final String token;

    public HttpCloudEventSink(final URI loggerUrl) {
        this(loggerUrl, null);
    }

    /**
     * @param loggerUrl http or https; https trusts the JVM's trust store ({@code -Djavax.net.ssl.trustStore})
     * @param token     sent as {@code Authorization: Bearer}; null: none
     */
    public HttpCloudEventSink(final URI loggerUrl, final String token) {
        this.loggerUrl = loggerUrl;
        this.token = token;
    }

    @Override
    public void send(final SeldonEvent event) {
        if (!inFlight.acquire()) {
            return;
        }
        client.sendAsync(toRequest(event), HttpResponse.BodyHandlers.discarding())
            .whenComplete((response, error) -> {
                inFlight.release();
                if (error != null || response.statusCode() != 202) {
                    final long failed = failures.incrementAndGet();
                    if (failed == 1 || failed % 1000 == 0) {
                        LOG.warn("Posting to {} failed ({} so far): {}", loggerUrl, failed,
                            error != null ? error.toString() : "HTTP " + response.statusCode());
                    }
                }
            });
    }

    HttpRequest toRequest(final SeldonEvent event) {
        final HttpRequest request = request(loggerUrl, event);
        return token == null ? request
            : HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", "Bearer " + token).build();
    }

    /** The POST Seldon Core v1's executor makes to its request logger URL for one event: a binary-mode CloudEvent. */
    public static HttpRequest request(final URI loggerUrl, final SeldonEvent event) {
        return HttpRequest.newBuilder(loggerUrl)
            .timeout(TIMEOUT)
            .header(httpHeader(CloudEventAttributes.SPEC_VERSION), CloudEventAttributes.SPEC_VERSION_1_0)
            .header(httpHeader(CloudEventAttributes.ID), event.id())
            .header(httpHeader(CloudEventAttributes.TYPE), event.type())
            .header(httpHeader(CloudEventAttributes.SOURCE), "http://" + event.inferenceServiceName() + "-" + event.endpoint() + "." + event.namespace() + ":8000/")
            .header(httpHeader(CloudEventAttributes.TIME), event.time().toString())
            .header(httpHeader(CloudEventAttributes.REQUEST_ID), event.requestId())
            .header(httpHeader(CloudEventAttributes.MODEL_ID), event.modelId())
            .header(httpHeader(CloudEventAttributes.INFERENCE_SERVICE_NAME), event.inferenceServiceName())
            .header(httpHeader(CloudEventAttributes.NAMESPACE), event.namespace())
            .header(httpHeader(CloudEventAttributes.ENDPOINT), event.endpoint())
            .header(httpHeader(CloudEventAttributes.PROTOCOL), CloudEventAttributes.SELDON_PROTOCOL)
            .header("Content-Type", event.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()))
            .build();
    }

    public long failures() {
        return failures.get();
    }

    /** Waits for the requests in flight to finish. */
    @Override
    public void close() {
        inFlight.awaitIdle(TIMEOUT);
    }
}
