package io.monitml.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

/** The real HTTP port on loopback, any free port, with Kafka Streams reported RUNNING, for the http tests. */
final class TestPorts {

    private TestPorts() {
    }

    static HttpApi serve(final CloudEventIngest ingest, final HttpApi.Settings settings) {
        return HttpApi.start("127.0.0.1", 0, settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            () -> KafkaStreams.State.RUNNING, ingest, new StaticPage("/ui/", "/io/monitml/ui/"));
    }

    /** With the labels endpoint too. */
    static HttpApi serve(final CloudEventIngest ingest, final CloudEventIngest labels) {
        return HttpApi.bind("127.0.0.1", 0, HttpApi.Settings.of(4)).serve(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            () -> KafkaStreams.State.RUNNING, ingest, labels, new StaticPage("/ui/", "/io/monitml/ui/"), null);
    }

    static HttpApi serve(final CloudEventIngest ingest) {
        return serve(ingest, HttpApi.Settings.of(4));
    }
}
