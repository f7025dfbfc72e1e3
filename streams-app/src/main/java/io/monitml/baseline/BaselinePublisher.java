package io.monitml.baseline;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import io.monitml.avro.TrainingBaseline;
import io.monitml.serde.AvroSerializer;
import io.monitml.serde.SchemaRegistryClient;

/** Publishes baselines to the compacted baselines topic, keyed by deployment (and model) and version. */
public final class BaselinePublisher {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SECURITY_HINT = "if the listener needs SASL or TLS, set security.protocol, sasl.mechanism and "
        + "sasl.jaas.config or ssl.truststore.location (--kafka-config FILE, KAFKA_* variables or --kafka)";

    private BaselinePublisher() {
    }

    public static RecordMetadata publish(final String bootstrapServers, final SchemaRegistryClient registry, final String topic,
                                         final String key, final TrainingBaseline baseline) {
        return publish(bootstrapServers, Map.of(), registry, topic, key, baseline);
    }

    /** @param kafka extra producer settings, e.g. TLS and SASL ({@code KAFKA_*} variables, {@code --kafka}); they win */
    public static RecordMetadata publish(final String bootstrapServers, final Map<String, String> kafka, final SchemaRegistryClient registry,
                                         final String topic, final String key, final TrainingBaseline baseline) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        settings.putAll(kafka);
        try (Producer<String, TrainingBaseline> producer = new KafkaProducer<>(settings, new StringSerializer(),
            new AvroSerializer<>(registry, false))) {
            return producer.send(new ProducerRecord<>(topic, key, baseline)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Publishing the baseline to " + topic + " failed: " + e.getCause().getMessage()
                + (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException ? "; " + SECURITY_HINT : ""), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not take the baseline within " + TIMEOUT.toSeconds()
                + "s; " + SECURITY_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing the baseline", e);
        }
    }
}
