package io.monitml.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

    @TempDir
    Path dir;

    @Test
    void shouldLetVariablesWinOverTheFileAndFlagsOverBoth() throws Exception {
        final Path file = dir.resolve("client.properties");
        Files.writeString(file, """
            # comments and blank lines as in any properties file

            security.protocol=SASL_SSL
            sasl.mechanism = SCRAM-SHA-256
            linger.ms=5
            """);

        final Map<String, String> settings = KafkaSettings.merge(file,
            Map.of("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_LINGER_MS", "10", "PATH", "/bin"),
            Map.of("linger.ms", "20"));

        assertThat(settings).containsExactlyInAnyOrderEntriesOf(Map.of(
            "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "linger.ms", "20"));
    }

    @Test
    void shouldTakeNoFileWhenNoneIsNamed() {
        assertThat(KafkaSettings.merge(null, Map.of(), Map.of("acks", "all"))).containsExactly(Map.entry("acks", "all"));
        assertThat(KafkaSettings.merge(Path.of(""), Map.of(), Map.of())).isEmpty();
    }

    @Test
    void shouldNameAMissingFile() {
        final Path missing = dir.resolve("nowhere.properties");

        assertThatThrownBy(() -> KafkaSettings.merge(missing, Map.of(), Map.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Cannot read the Kafka client settings file " + missing + ": no such file");
    }

    @Test
    void shouldHideSecretsWhenPrinted() {
        final String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p4ss\";";
        final Map<String, String> settings = KafkaSettings.hidingSecrets(Map.of(
            "security.protocol", "SASL_SSL", "sasl.jaas.config", jaas, "ssl.truststore.password", "trust-me",
            "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----", "sasl.oauthbearer.client.credentials.client.secret", "s3cret"));

        assertThat(settings.toString()).contains("security.protocol=SASL_SSL", "sasl.jaas.config=[hidden]", "ssl.truststore.password=[hidden]")
            .doesNotContain("p4ss", "trust-me", "PRIVATE KEY", "s3cret");
        assertThat(settings.get("sasl.jaas.config")).as("the clients still get the value").isEqualTo(jaas);
        assertThat(settings).isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", jaas,
            "ssl.truststore.password", "trust-me", "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
            "sasl.oauthbearer.client.credentials.client.secret", "s3cret"));
    }

    @Test
    void shouldTellSecretsFromOrdinarySettings() {
        assertThat(KafkaSettings.isSecret("sasl.jaas.config")).isTrue();
        assertThat(KafkaSettings.isSecret("ssl.key.password")).isTrue();
        assertThat(KafkaSettings.isSecret("ssl.keystore.password")).isTrue();
        assertThat(KafkaSettings.isSecret("listener.name.sasl.plain.sasl.jaas.config")).isTrue();
        assertThat(KafkaSettings.isSecret("sasl.mechanism")).isFalse();
        assertThat(KafkaSettings.isSecret("ssl.truststore.location")).isFalse();
        assertThat(KafkaSettings.isSecret("bootstrap.servers")).isFalse();
    }
}
