package io.monitml.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import io.monitml.demo.GeneratedRequest;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.SeldonEvent;

/** Java's HttpClient (HTTP/1.1, its connection pool), one synchronous send per sender thread, for comparison. */
final class JdkSender extends IngestSender {

    private static volatile HttpClient shared;
    private final URI url;
    private final SeldonEvent request;
    private final SeldonEvent response;
    private final String idPrefix;
    private final String callPrefix;

    JdkSender(final int port, final String run, final int sender, final GeneratedRequest call) {
        this.url = URI.create("http://127.0.0.1:" + port + "/");
        this.request = call.request();
        this.response = call.response();
        this.idPrefix = id(run, sender, "e");
        this.callPrefix = id(run, sender, "c");
    }

    private static HttpClient client() {
        HttpClient client = shared;
        if (client == null) {
            synchronized (JdkSender.class) {
                if (shared == null) {
                    shared = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
                }
                client = shared;
            }
        }
        return client;
    }

    @Override
    int exchange(final long sequence, final long nowMillis) {
        final SeldonEvent template = (sequence & 1) == 0 ? request : response;
        final SeldonEvent event = new SeldonEvent(template.type(), idPrefix + sequence, callPrefix + (sequence >>> 1),
            template.namespace(), template.inferenceServiceName(), template.endpoint(), template.modelId(),
            Instant.ofEpochMilli(nowMillis), template.contentType(), template.body());
        try {
            return client().send(HttpCloudEventSink.request(url, event), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
