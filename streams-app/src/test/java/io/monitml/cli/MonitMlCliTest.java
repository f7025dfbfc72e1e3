package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.config.MonitMlConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class MonitMlCliTest {

    private static final Pattern ENV = Pattern.compile("env (MONITML_[A-Z0-9_]+)");

    private record Result(int exitCode, String out, String err) {
    }

    private static Result execute(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = MonitMl.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        final int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void shouldListTheCommandsInTheHelp() {
        final Result help = execute("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("run", "demo");
    }

    @Test
    void shouldDescribeEveryOptionAndItsEnvironmentVariable() {
        for (String command : new String[] {"run", "demo"}) {
            final CommandLine sub = MonitMl.commandLine().getSubcommands().get(command);
            for (OptionSpec option : sub.getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                final String description = String.join(" ", option.description());
                assertThat(description).as("%s %s", command, option.longestName()).isNotBlank();
                if (!option.longestName().equals("--kafka")) {
                    assertThat(description).as("%s %s names its variable", command, option.longestName()).containsPattern(ENV);
                }
            }
            assertThat(execute(command, "--help").out()).contains("--bootstrap-servers", "--window", "MONITML_WINDOW_SIZE");
        }
    }

    @Test
    void shouldDocumentEverySettingInTheConfigurationPage() throws IOException {
        final String page = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (String command : new String[] {"run", "demo"}) {
            for (OptionSpec option : MonitMl.commandLine().getSubcommands().get(command).getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                assertThat(page).as("docs/configuration.md documents %s", option.longestName()).contains("`" + option.longestName() + "`");
                final Matcher env = ENV.matcher(String.join(" ", option.description()));
                if (env.find()) {
                    assertThat(page).as("docs/configuration.md documents %s", env.group(1)).contains("`" + env.group(1) + "`");
                }
            }
        }
    }

    @Test
    void shouldBuildTheConfigFromFlags() {
        final CommandLine commandLine = MonitMl.commandLine();
        commandLine.parseArgs("run", "--bootstrap-servers", "kafka:9092", "--schema-registry-url", "http://registry:8081",
            "--window", "30s", "--grace", "PT2S", "--kafka", "max.poll.records=100", "--topic-partitions", "6");
        final RunCommand run = commandLine.getSubcommands().get("run").getCommand();

        final MonitMlConfig config = run.options.toConfig(RunCommand.DEFAULT_WINDOW, Map.of("KAFKA_LINGER_MS", "20"));

        assertThat(config.embedded()).isFalse();
        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.topology().windowSize()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.topology().grace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.topicPartitions()).isEqualTo(6);
        assertThat(config.kafka()).containsEntry("max.poll.records", "100").containsEntry("linger.ms", "20");
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldReadKafkaSettingsFromAFileUnderVariablesAndFlagsAndHideTheirSecrets(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-256\nlinger.ms=5\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p4ss\";\n");
        final CommandLine commandLine = MonitMl.commandLine();
        commandLine.parseArgs("run", "--bootstrap-servers", "kafka:9093", "--schema-registry-url", "http://registry:8081",
            "--kafka-config", file.toString(), "--kafka", "linger.ms=20", "--kafka-timeout", "10s");
        final RunCommand run = commandLine.getSubcommands().get("run").getCommand();

        final MonitMlConfig config = run.options.toConfig(RunCommand.DEFAULT_WINDOW,
            Map.of("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_LINGER_MS", "10"));

        assertThat(config.kafka()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
            .containsEntry("linger.ms", "20").containsKey("sasl.jaas.config");
        assertThat(config.kafka().get("sasl.jaas.config")).contains("p4ss");
        assertThat(config.toString()).contains("sasl.jaas.config=[hidden]").doesNotContain("p4ss");
        assertThat(config.kafkaTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldWaitThirtySecondsForKafkaByDefault() {
        final CommandLine commandLine = MonitMl.commandLine();
        commandLine.parseArgs("run");
        final RunCommand run = commandLine.getSubcommands().get("run").getCommand();

        assertThat(run.options.toConfig(RunCommand.DEFAULT_WINDOW, Map.of()).kafkaTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldReadTheHttpSettingsWithSecretsFromFilesOrVariablesOnly(@TempDir final Path dir) throws IOException {
        final RunCommand defaults = parse("run");
        final MonitMlConfig plain = defaults.options.toConfig(RunCommand.DEFAULT_WINDOW, Map.of());
        assertThat(plain.http()).isEqualTo(MonitMlConfig.Http.DEFAULTS);
        assertThat(plain.http().readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(plain.http().threads()).isEqualTo(16);
        assertThat(plain.http().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(plain.http().maxConnections()).isEqualTo(1024);
        assertThat(plain.http().scheme()).isEqualTo("http");
        assertThat(plain.httpHost()).as("run listens on every interface (the Helm chart's probes reach the pod's address)")
            .isEqualTo("0.0.0.0");
        assertThat(plain.ingest().token()).isNull();

        final Path token = Files.writeString(dir.resolve("ingest-token"), "from-file\n");
        final Path password = Files.writeString(dir.resolve("password"), "keystore-password\n");
        final RunCommand run = parse("run", "--http-read-timeout", "5s", "--http-threads", "8", "--http-idle-timeout", "2m",
            "--http-max-connections", "64", "--ingest-token-file", token.toString(),
            "--http-tls-keystore", dir.resolve("http.p12").toString(), "--http-tls-keystore-password-file", password.toString());
        final MonitMlConfig config = run.options.toConfig(RunCommand.DEFAULT_WINDOW,
            Map.of("MONITML_INGEST_TOKEN", "from-variable", "MONITML_HTTP_TLS_KEYSTORE_PASSWORD", "from-variable"));
        assertThat(config.http().readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.http().threads()).isEqualTo(8);
        assertThat(config.http().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.http().maxConnections()).isEqualTo(64);
        assertThat(config.http().scheme()).isEqualTo("https");
        assertThat(config.http().tlsKeystorePassword()).isEqualTo("keystore-password");
        assertThat(config.ingest().token()).isEqualTo("from-file");
        assertThat(config.toString()).doesNotContain("from-file", "keystore-password");

        final MonitMlConfig fromVariables = parse("run", "--http-tls-keystore", "http.p12").options.toConfig(RunCommand.DEFAULT_WINDOW,
            Map.of("MONITML_INGEST_TOKEN", "token-value", "MONITML_HTTP_TLS_KEYSTORE_PASSWORD", "password-value"));
        assertThat(fromVariables.ingest().token()).isEqualTo("token-value");
        assertThat(fromVariables.http().tlsKeystorePassword()).isEqualTo("password-value");
        assertThat(MonitMl.commandLine().getSubcommands().get("run").getCommandSpec().options())
            .noneMatch(option -> option.longestName().matches("--(ingest-token|http-tls-keystore-password)"));
    }

    @Test
    void shouldRefuseAMissingTlsKeystoreWithAClearMessage(@TempDir final Path dir) {
        final Path missing = dir.resolve("http.p12");

        final Result result = execute("run", "--bootstrap-servers", "kafka:9092", "--schema-registry-url", "http://r",
            "--http-tls-keystore", missing.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("The TLS keystore " + missing + " given by --http-tls-keystore", "does not exist");
    }

    private static RunCommand parse(final String... args) {
        final CommandLine commandLine = MonitMl.commandLine();
        commandLine.parseArgs(args);
        return commandLine.getSubcommands().get("run").getCommand();
    }

    @Test
    void shouldRefuseAMissingKafkaConfigFileWithAClearMessage(@TempDir final Path dir) {
        final Path missing = dir.resolve("client.properties");

        final Result result = execute("run", "--bootstrap-servers", "kafka:9092", "--schema-registry-url", "http://r",
            "--kafka-config", missing.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Cannot read the Kafka client settings file " + missing + ": no such file");
    }

    @Test
    void shouldUseTheCommandsOwnWindowByDefault() {
        final CommandLine commandLine = MonitMl.commandLine();
        commandLine.parseArgs("demo");
        final DemoCommand demo = commandLine.getSubcommands().get("demo").getCommand();

        final MonitMlConfig config = demo.config(Map.of());

        assertThat(config.embedded()).isTrue();
        assertThat(config.httpHost()).as("the demo's port, without a token, stays on this machine").isEqualTo("127.0.0.1");
        assertThat(config.topology().windowSize()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.topology().pairing().enabled()).isTrue();
        assertThat(config.topology().sources().seldonV1Topic()).isNull();

        commandLine.parseArgs("demo", "--http-host", "0.0.0.0");
        final DemoCommand open = commandLine.getSubcommands().get("demo").getCommand();
        assertThat(open.config(Map.of()).httpHost()).isEqualTo("0.0.0.0");
        // The generator posts to the address the port listens on, the loopback one for every interface.
        assertThat(DemoCommand.localAddress("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(DemoCommand.localAddress("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(DemoCommand.localAddress("10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(DemoCommand.localAddress("::1")).isEqualTo("[::1]");
    }

    @Test
    void shouldRefuseAClusterWithoutARegistryWithAClearMessage() {
        final Result result = execute("run", "--bootstrap-servers", "kafka:9092", "--schema-registry-url", "");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("schema registry URL must be set");
    }

    @Test
    void shouldRejectAMalformedDuration() {
        final Result result = execute("run", "--bootstrap-servers", "kafka:9092", "--schema-registry-url", "http://r", "--window", "soon");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Not a duration: 'soon'");
    }
}
