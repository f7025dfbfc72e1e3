package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.monitml.app.DemoTraffic;
import io.monitml.app.MonitMlApplication;
import io.monitml.avro.PredictionStats;
import io.monitml.config.KafkaSettings;
import io.monitml.config.MonitMlConfig;
import io.monitml.embedded.EmbeddedKafka;
import io.monitml.embedded.EmbeddedSchemaRegistry;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.PipelineListener;

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
    private static final Duration PATIENCE = Duration.ofSeconds(45);

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

        try (MonitMlApplication app = MonitMlApplication.start(config, PipelineListener.NONE);
             DemoTraffic traffic = new DemoTraffic(app)) {
            await().atMost(PATIENCE).until(() -> app.state() == KafkaStreams.State.RUNNING);
            traffic.start();

            final List<PredictionStats> stats = new ArrayList<>();
            final Map<String, Object> consumerSettings = new HashMap<>(KafkaSettings.read(clientConfig));
            consumerSettings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(SASL));
            consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + prefix);
            consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, PredictionStats> consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(),
                new AvroDeserializer<>(PredictionStats.class, new SchemaRegistryClient(registry.url()), false))) {
                consumer.subscribe(Set.of(config.topics().predictionStats()));
                await().atMost(PATIENCE).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> stats.add(record.value()));
                    return stats.stream().anyMatch(window -> window.getUnit().getVariant().equals("v2"));
                });
            }
            assertThat(stats).anySatisfy(window -> {
                assertThat(window.getUnit().getVariant()).isEqualTo("v2");
                assertThat(window.getCount()).isPositive();
                assertThat(window.getMean()).isEqualTo(100.0);
            });
        }
    }

    @Test
    void shouldEndWithinTheTimeoutNamingTheSecuritySettingsWhenGivenNoCredentials() {
        final long start = System.nanoTime();
        final Result result = run("--kafka-timeout", "5s");
        final Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Cannot reach Kafka at " + kafka.bootstrapServers(SASL) + " within 5s",
            "security.protocol PLAINTEXT", "set security.protocol (SASL_SSL, SASL_PLAINTEXT or SSL)", "sasl.jaas.config", "--kafka-config");
        assertThat(result.err()).doesNotContain("\tat ", "Exception");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        System.out.printf("no credentials: exit %d after %d ms%n", result.exitCode(), took.toMillis());
    }

    @Test
    void shouldSayTheJaasConfigurationIsMissingWhenOnlyTheMechanismIsSet() throws Exception {
        final Path clientConfig = dir.resolve("no-jaas.properties");
        Files.writeString(clientConfig, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n");

        final Result result = run("--kafka-config", clientConfig.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Cannot set up a Kafka client for " + kafka.bootstrapServers(SASL), "JAAS",
            "set sasl.jaas.config");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"})
    void shouldSayAuthenticationFailedForAWrongPassword(final String mechanism) throws Exception {
        final String wrong = "not-" + PASSWORD;
        final long start = System.nanoTime();
        final Result result = run("--kafka-config", clientConfig(mechanism, wrong).toString());
        final Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Kafka at " + kafka.bootstrapServers(SASL) + " refused authentication (" + mechanism + ")",
            "Authentication failed", "sasl.jaas.config");
        assertThat(result.err()).doesNotContain(wrong, "\tat ");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        System.out.printf("wrong %s password: exit %d after %d ms%n", mechanism, result.exitCode(), took.toMillis());
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

    private List<String> runArguments(final String... extra) {
        final List<String> arguments = new ArrayList<>(List.of("run",
            "--bootstrap-servers", kafka.bootstrapServers(SASL), "--schema-registry-url", registry.url(),
            "--data-dir", dir.resolve("data").toString(), "--http-host", "127.0.0.1", "--http-port", "0",
            "--window", "2s", "--grace", "1s", "--flush-interval", "200ms", "--pairing", "false", "--seldon-v2-prefix", "",
            "--kafka", "commit.interval.ms=200"));
        arguments.addAll(List.of(extra));
        return arguments;
    }

    /** The configuration {@code monitml run} builds from these arguments (no {@code KAFKA_*} variables). */
    private MonitMlConfig runConfig(final String... extra) {
        final picocli.CommandLine commandLine = MonitMl.commandLine();
        commandLine.parseArgs(runArguments(extra).toArray(String[]::new));
        final RunCommand run = commandLine.getSubcommands().get("run").getCommand();
        return run.options.toConfig(RunCommand.DEFAULT_WINDOW, Map.of());
    }

    private record Result(int exitCode, String err) {
    }

    /** {@code monitml run} itself, as from a shell; it returns only when start-up fails. */
    private Result run(final String... extra) {
        final StringWriter err = new StringWriter();
        final picocli.CommandLine commandLine = MonitMl.commandLine();
        commandLine.setErr(new PrintWriter(err));
        final int exitCode = commandLine.execute(runArguments(extra).toArray(String[]::new));
        return new Result(exitCode, err.toString());
    }
}
