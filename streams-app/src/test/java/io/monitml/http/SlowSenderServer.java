package io.monitml.http;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A child JVM for {@link HttpReadTimeoutTest}: the JDK reads its timeout properties once per
 * process, so the test's short timeout gets a process of its own. Arguments: the read timeout
 * (a duration, or "none" to leave the JDK's defaults) and the worker threads. Prints
 * {@code PORT <n>}, then serves until stdin closes.
 */
public final class SlowSenderServer {

    private SlowSenderServer() {
    }

    public static void main(final String[] args) throws Exception {
        if (!args[0].equals("none")) {
            HttpServerTimeouts.apply(io.monitml.config.Durations.parse(args[0]));
        }
        final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        final CloudEventIngest ingest = new CloudEventIngest(producer, "raw", 1 << 20, Duration.ofSeconds(5),
            IngestListener.NONE, Clock.systemUTC());
        try (HttpApi http = HttpApi.start("127.0.0.1", 0, Integer.parseInt(args[1]), null,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> KafkaStreams.State.RUNNING, ingest,
            new StaticPage("/ui/", "/io/monitml/ui/"))) {
            System.out.println("PORT " + http.port());
            System.out.flush();
            while (System.in.read() != -1) {
                // serve until the parent closes our stdin (or dies)
            }
        }
    }
}
