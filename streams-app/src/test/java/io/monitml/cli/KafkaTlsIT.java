package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.config.MonitMlConfig;
import io.monitml.embedded.EmbeddedKafka;
import io.monitml.embedded.EmbeddedSchemaRegistry;

/**
 * {@code monitml run} over TLS: a listener that requires a client certificate (mutual TLS) and a
 * SASL_SSL listener with SCRAM-SHA-512, the key and trust stores made here with the JDK's keytool.
 * With the stores (and the credentials) in a {@code --kafka-config} file the pipeline works; a
 * client that does not trust the broker's certificate, or has none of its own where one is
 * required, is stopped with a message naming the TLS settings.
 */
class KafkaTlsIT {

    private static final String MUTUAL_TLS = "MTLS";
    private static final String SASL_SSL = "SASL_TLS";
    private static final String USER = "monitml";
    /** Generated per run: test credentials and store passwords only. */
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static final String STORE_PASSWORD = UUID.randomUUID().toString();

    @TempDir
    static Path shared;

    private static Path stores;
    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrokerWithTlsListeners() throws Exception {
        stores = Files.createDirectories(shared.resolve("stores"));
        // The broker's certificate, valid for 127.0.0.1 (the client checks the host name), and the client's.
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
            "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
            "-keystore", store("broker.p12"), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
            "-dname", "CN=monitml", "-storetype", "PKCS12",
            "-keystore", store("client.p12"), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", store("broker.p12"), "-storepass", STORE_PASSWORD,
            "-file", store("broker.pem"));
        keytool("-exportcert", "-rfc", "-alias", "client", "-keystore", store("client.p12"), "-storepass", STORE_PASSWORD,
            "-file", store("client.pem"));
        // Each side trusts the other's certificate.
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", store("broker.pem"), "-storetype", "PKCS12",
            "-keystore", store("client-truststore.p12"), "-storepass", STORE_PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", store("client.pem"), "-storetype", "PKCS12",
            "-keystore", store("broker-truststore.p12"), "-storepass", STORE_PASSWORD);

        EmbeddedKafka.Options options = EmbeddedKafka.Options.plaintext(0)
            .withListener(MUTUAL_TLS, "SSL")
            .withListener(SASL_SSL, "SASL_SSL")
            .withBrokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512")
            .withBrokerProperty("listener.name.sasl_tls.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .withBrokerProperty("listener.name.mtls.ssl.client.auth", "required")
            .withBrokerProperty("listener.name.mtls.ssl.truststore.location", store("broker-truststore.p12"))
            .withBrokerProperty("listener.name.mtls.ssl.truststore.password", STORE_PASSWORD)
            .withBrokerProperty("listener.name.mtls.ssl.truststore.type", "PKCS12")
            .withScramUser("SCRAM-SHA-512", USER, PASSWORD);
        for (String listener : List.of("mtls", "sasl_tls")) {
            options = options
                .withBrokerProperty("listener.name." + listener + ".ssl.keystore.location", store("broker.p12"))
                .withBrokerProperty("listener.name." + listener + ".ssl.keystore.password", STORE_PASSWORD)
                .withBrokerProperty("listener.name." + listener + ".ssl.key.password", STORE_PASSWORD)
                .withBrokerProperty("listener.name." + listener + ".ssl.keystore.type", "PKCS12");
        }
        kafka = EmbeddedKafka.start(shared.resolve("kafka"), options);
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

    @Test
    void shouldRunThePipelineOverMutualTls() throws Exception {
        final Path clientConfig = clientConfig("mtls.properties",
            "security.protocol=SSL",
            "ssl.truststore.type=PKCS12",
            "ssl.truststore.location=" + store("client-truststore.p12"),
            "ssl.truststore.password=" + STORE_PASSWORD,
            "ssl.keystore.type=PKCS12",
            "ssl.keystore.location=" + store("client.p12"),
            "ssl.keystore.password=" + STORE_PASSWORD,
            "ssl.key.password=" + STORE_PASSWORD);
        final MonitMlConfig config = run(MUTUAL_TLS).config("--kafka-config", clientConfig.toString(), "--application-id", "monitml-mtls",
            "--raw-topic", "mtls.raw", "--prediction-stats-topic", "mtls.prediction-stats");
        assertThat(config.toString()).doesNotContain(STORE_PASSWORD);

        SecuredRun.runWithTraffic(config, clientConfig);
    }

    @Test
    void shouldRunThePipelineWithScramOverTlsTrustingAPemCertificate() throws Exception {
        final Path clientConfig = clientConfig("sasl-ssl.properties",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                + "\" password=\"" + PASSWORD + "\";",
            "ssl.truststore.type=PEM",
            "ssl.truststore.location=" + store("broker.pem"));
        final MonitMlConfig config = run(SASL_SSL).config("--kafka-config", clientConfig.toString(), "--application-id", "monitml-sasl-ssl",
            "--raw-topic", "sasl-ssl.raw", "--prediction-stats-topic", "sasl-ssl.prediction-stats");

        SecuredRun.runWithTraffic(config, clientConfig);
    }

    @Test
    void shouldNameTheTrustStoreWhenTheBrokersCertificateIsNotTrusted() throws Exception {
        final Path clientConfig = clientConfig("untrusting.properties",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                + "\" password=\"" + PASSWORD + "\";");

        final SecuredRun.Result result = run(SASL_SSL).execute("--kafka-config", clientConfig.toString(), "--kafka-timeout", "10s");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("The TLS handshake with Kafka at " + kafka.bootstrapServers(SASL_SSL) + " failed",
            "ssl.truststore.location").doesNotContain(PASSWORD, "\tat ");
        assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
        System.out.printf("untrusted broker certificate: exit %d after %d ms: %s", result.exitCode(), result.took().toMillis(), result.err());
    }

    @Test
    void shouldSayTheHandshakeFailedWithoutAClientCertificateWhereOneIsRequired() throws Exception {
        final Path clientConfig = clientConfig("no-client-certificate.properties",
            "security.protocol=SSL",
            "ssl.truststore.type=PEM",
            "ssl.truststore.location=" + store("broker.pem"));

        final SecuredRun.Result result = run(MUTUAL_TLS).execute("--kafka-config", clientConfig.toString(), "--kafka-timeout", "10s");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("The TLS handshake with Kafka at " + kafka.bootstrapServers(MUTUAL_TLS) + " failed",
            "ssl.keystore").doesNotContain("\tat ");
        assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
        System.out.printf("no client certificate: exit %d after %d ms: %s", result.exitCode(), result.took().toMillis(), result.err());
    }

    private SecuredRun run(final String listener) {
        return new SecuredRun(kafka.bootstrapServers(listener), registry.url(), dir.resolve("data"));
    }

    private Path clientConfig(final String name, final String... lines) throws Exception {
        final Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static String store(final String name) {
        return stores.resolve(name).toString();
    }

    private static void keytool(final String... arguments) throws Exception {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool %s finished", arguments[0]).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", arguments[0], output).isZero();
    }
}
