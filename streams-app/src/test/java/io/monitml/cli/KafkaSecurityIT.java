package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.monitml.config.MonitMlConfig;
import io.monitml.embedded.EmbeddedKafka;
import io.monitml.embedded.EmbeddedSchemaRegistry;

/**
 * {@code monitml run} against a broker whose listener wants SASL (SCRAM-SHA-256, SCRAM-SHA-512 and
 * PLAIN): with the credentials in a {@code --kafka-config} file every client the application makes
 * (Kafka Streams', the ingest producer, the topic-creating admin) gets through and results come out;
 * without them, or with a wrong password, the command ends within a bounded time with a message
 * that says why and what to set.
 */
class KafkaSecurityIT {

    private static final String SASL = "SASL";
    private static final String USER = "monitml";
    /** Generated per run: test credentials only. */
    private static final String PASSWORD = UUID.randomUUID().toString();

    @TempDir
    static Path shared;

    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrokerWithSaslListener() {
        kafka = EmbeddedKafka.start(shared.resolve("kafka"), EmbeddedKafka.Options.plaintext(0)
            .withListener(SASL, "SASL_PLAINTEXT")
            .withBrokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512,PLAIN")
            .withBrokerProperty("listener.name.sasl.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .withBrokerProperty("listener.name.sasl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .withBrokerProperty("listener.name.sasl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\"" + PASSWORD + "\";")
            .withScramUser("SCRAM-SHA-256", USER, PASSWORD)
            .withScramUser("SCRAM-SHA-512", USER, PASSWORD));
        registry = EmbeddedSchemaRegistry.start("127.0.0.1", 0, shared.resolve("registry").resolve("schemas.jsonl"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-512", "PLAIN"})
    void shouldRunThePipelineWithCredentialsFromAKafkaConfigFile(final String mechanism) throws Exception {
        final Path clientConfig = clientConfig(mechanism, PASSWORD);
        final String prefix = mechanism.toLowerCase(java.util.Locale.ROOT);
        final MonitMlConfig config = runConfig("--kafka-config", clientConfig.toString(), "--application-id", "monitml-" + prefix,
            "--raw-topic", prefix + ".raw", "--prediction-stats-topic", prefix + ".prediction-stats");
        assertThat(config.kafka()).containsEntry("sasl.mechanism", mechanism);
        assertThat(config.toString()).as("the configuration prints without the password").doesNotContain(PASSWORD);

        SecuredRun.runWithTraffic(config, clientConfig);
    }

    @Test
    void shouldEndWithinTheTimeoutNamingTheSecuritySettingsWhenGivenNoCredentials() {
        final SecuredRun.Result result = run("--kafka-timeout", "5s");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Cannot reach Kafka at " + kafka.bootstrapServers(SASL) + " within 5s",
            "security.protocol PLAINTEXT", "set security.protocol (SASL_SSL, SASL_PLAINTEXT or SSL)", "sasl.jaas.config", "--kafka-config", "--kafka-timeout");
        assertThat(result.err()).doesNotContain("\tat ", "Exception");
        assertThat(result.took()).isLessThan(Duration.ofSeconds(15));
        System.out.printf("no credentials: exit %d after %d ms: %s", result.exitCode(), result.took().toMillis(), result.err());
    }

    @Test
    void shouldSayTheJaasConfigurationIsMissingWhenOnlyTheMechanismIsSet() throws Exception {
        final Path clientConfig = dir.resolve("no-jaas.properties");
        Files.writeString(clientConfig, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n");

        final SecuredRun.Result result = run("--kafka-config", clientConfig.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Cannot set up a Kafka client for " + kafka.bootstrapServers(SASL), "JAAS",
            "set sasl.jaas.config");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"})
    void shouldSayAuthenticationFailedForAWrongPassword(final String mechanism) throws Exception {
        final String wrong = "not-" + PASSWORD;
        final SecuredRun.Result result = run("--kafka-config", clientConfig(mechanism, wrong).toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Kafka at " + kafka.bootstrapServers(SASL) + " refused authentication (" + mechanism + ")",
            "Authentication failed", "sasl.jaas.config");
        assertThat(result.err()).doesNotContain(wrong, "\tat ");
        assertThat(result.took()).isLessThan(Duration.ofSeconds(15));
        System.out.printf("wrong %s password: exit %d after %d ms: %s", mechanism, result.exitCode(), result.took().toMillis(), result.err());
    }

    private Path clientConfig(final String mechanism, final String password) throws Exception {
        final String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
        final Path file = dir.resolve(mechanism + ".properties");
        Files.writeString(file, String.join("\n",
            "# As a user would write it for monitml run --kafka-config",
            "security.protocol=SASL_PLAINTEXT",
            "sasl.mechanism=" + mechanism,
            "sasl.jaas.config=" + module + " required username=\"" + USER + "\" password=\"" + password + "\";",
            ""));
        return file;
    }

    private SecuredRun secured() {
        return new SecuredRun(kafka.bootstrapServers(SASL), registry.url(), dir.resolve("data"));
    }

    private MonitMlConfig runConfig(final String... extra) {
        return secured().config(extra);
    }

    private SecuredRun.Result run(final String... extra) {
        return secured().execute(extra);
    }
}
