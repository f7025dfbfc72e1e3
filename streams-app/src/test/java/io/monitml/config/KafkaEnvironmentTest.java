package io.monitml.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaEnvironmentTest {

    @Test
    void shouldTurnKafkaVariablesIntoClientSettings() {
        assertThat(KafkaEnvironment.settings(Map.of(
            "KAFKA_MAX_POLL_RECORDS", "500",
            "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "MONITML_HTTP_PORT", "8080",
            "PATH", "/usr/bin")))
            .containsExactlyInAnyOrderEntriesOf(Map.of("max.poll.records", "500", "security.protocol", "SASL_SSL"));
    }

    @Test
    void shouldIgnoreTheLauncherVariablesOfKafkasScripts() {
        assertThat(KafkaEnvironment.settings(Map.of("KAFKA_HEAP_OPTS", "-Xmx1g", "KAFKA_OPTS", "-Dx=y", "KAFKA_", "x"))).isEmpty();
    }
}
