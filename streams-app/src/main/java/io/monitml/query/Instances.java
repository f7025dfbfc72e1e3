package io.monitml.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.StreamsMetadata;

/**
 * Where state lives among the application's instances: which instance owns a key of a store,
 * which instances there are, this instance's own stores, and asking another instance over HTTP.
 * Every answer is immediate: a store that is not queryable now is a 503, never a wait.
 */
final class Instances {

    /** Set on a request one instance makes of another: the receiver answers from its own stores only. */
    static final String FORWARDED_HEADER = "X-MonitML-Forwarded-By";

    private static final Serializer<String> KEYS = Serdes.String().serializer();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    private final String scheme;

    Instances(final Supplier<KafkaStreams> streams, final HostInfo self) {
        this(streams, self, "http");
    }

    /** @param scheme {@code http} or {@code https}: how every instance's HTTP port is reached */
    Instances(final Supplier<KafkaStreams> streams, final HostInfo self, final String scheme) {
        this.streams = streams;
        this.self = self;
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https: " + scheme);
        }
        this.scheme = scheme;
    }

    HostInfo self() {
        return self;
    }

    static String name(final HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private KafkaStreams streams() {
        final KafkaStreams running = streams.get();
        if (running == null) {
            throw ApiException.notReady("MonitML is starting; its stores are not open yet");
        }
        return running;
    }

    /** The instance whose active task holds {@code key} in {@code store}. */
    HostInfo owner(final String store, final String key) {
        final KeyQueryMetadata metadata;
        try {
            metadata = streams().queryMetadataForKey(store, key, KEYS);
        } catch (IllegalStateException e) {
            throw ApiException.notReady("Kafka Streams is not running (" + streams().state() + "); the stores are not queryable");
        }
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost().port() < 0) {
            throw ApiException.notReady("The tasks holding store " + store + " are being assigned (" + streams().state() + ")");
        }
        return metadata.activeHost();
    }

    /** Every instance of the application, this one included. */
    List<HostInfo> all() {
        final List<HostInfo> hosts = new ArrayList<>();
        try {
            for (final StreamsMetadata metadata : streams().metadataForAllStreamsClients()) {
                if (metadata.hostInfo().port() >= 0 && !hosts.contains(metadata.hostInfo())) {
                    hosts.add(metadata.hostInfo());
                }
            }
        } catch (IllegalStateException e) {
            throw ApiException.notReady("Kafka Streams is not running (" + streams().state() + ")");
        }
        if (!hosts.contains(self)) {
            hosts.add(0, self);
        }
        return hosts;
    }

    /** This instance's part of a store (all its active tasks' stores as one). */
    <T> T local(final String store, final QueryableStoreType<T> type) {
        try {
            return streams().store(StoreQueryParameters.fromNameAndType(store, type));
        } catch (InvalidStateStoreException e) {
            throw ApiException.notReady("Store " + store + " is not queryable now (" + streams().state() + "): " + e.getMessage());
        }
    }

    record Answer(int status, String body, String retryAfter) {
    }

    /** Asks {@code host} the same question, to be answered from its own stores. */
    Answer ask(final HostInfo host, final String pathAndQuery, final String authorization) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + name(host) + pathAndQuery))
            .timeout(REQUEST_TIMEOUT)
            .header(FORWARDED_HEADER, name(self))
            .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            throw ApiException.notReady("Instance " + name(host) + " did not answer (" + e.getClass().getSimpleName()
                + "); if it stopped, its tasks move to the others shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.notReady("Interrupted while asking instance " + name(host));
        }
    }
}
