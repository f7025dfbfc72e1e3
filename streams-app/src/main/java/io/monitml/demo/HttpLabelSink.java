package io.monitml.demo;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.ingest.Label;
import io.monitml.ingest.LabelJson;

/**
 * Posts labels to MonitML's {@code POST /api/v1/labels} as JSON lines, one request per batch, as a
 * labelling service that learns the truth later would: asynchronously, a few requests in flight.
 */
public final class HttpLabelSink implements LabelSink {

    private static final Logger LOG = LoggerFactory.getLogger(HttpLabelSink.class);
    private static final int MAX_IN_FLIGHT = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI labelsUrl;
    private final String token;
    private final InFlight inFlight = new InFlight(MAX_IN_FLIGHT);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** @param token sent as {@code Authorization: Bearer}; null: none */
    public HttpLabelSink(final URI labelsUrl, final String token) {
        this.labelsUrl = labelsUrl;
        this.token = token;
    }

    @Override
    public void send(final List<Label> labels) {
        if (labels.isEmpty()) {
            return;
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream(labels.size() * 96);
        for (Label label : labels) {
            body.writeBytes(LabelJson.write(label));
            body.write('\n');
        }
        final HttpRequest.Builder request = HttpRequest.newBuilder(labelsUrl).timeout(TIMEOUT)
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (!inFlight.acquire()) {
            return;
        }
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            inFlight.release();
            if (error == null && response.statusCode() == 202) {
                sent.addAndGet(labels.size());
            } else {
                final long failed = failures.incrementAndGet();
                if (failed == 1 || failed % 100 == 0) {
                    LOG.warn("Posting labels to {} failed ({} so far): {}", labelsUrl, failed,
                        error != null ? error.toString() : "HTTP " + response.statusCode() + " " + response.body());
                }
            }
        });
    }

    /** Labels the endpoint accepted. */
    public long sent() {
        return sent.get();
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
