package io.monitml.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.monitml.config.KafkaSettings;
import picocli.CommandLine.Option;

/**
 * The Kafka options of the commands that publish to a cluster ({@code monitml baseline}, {@code monitml labels}): where it
 * is, and the producer's TLS and SASL settings, merged as {@code monitml run} merges its own.
 */
final class ProducerOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", defaultValue = "${env:MONITML_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
        description = "Kafka (env MONITML_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}, the demo's embedded broker.")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:MONITML_KAFKA_CONFIG}",
        description = "Java properties file of Kafka producer settings (TLS, SASL), as for monitml run; KAFKA_* variables and --kafka win over it (env MONITML_KAFKA_CONFIG).")
    Path kafkaConfig;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
        description = "Any Kafka producer setting (TLS, SASL), repeatable; also every KAFKA_* variable, as for monitml run.")
    Map<String, String> kafka = new HashMap<>();

    /** The producer settings of the file, the {@code KAFKA_*} variables and {@code --kafka}, the later winning. */
    Map<String, String> settings() {
        return KafkaSettings.merge(kafkaConfig, System.getenv(), kafka);
    }
}
