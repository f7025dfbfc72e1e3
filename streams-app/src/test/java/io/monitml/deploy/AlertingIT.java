package io.monitml.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.monitml.app.MonitMlApplication;
import io.monitml.app.TestConfigs;
import io.monitml.baseline.BaselinePublisher;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.TopologySettings;
import io.monitml.demo.CanaryTrafficGenerator;
import io.monitml.demo.DemoBaseline;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.TrafficConfig;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.PipelineListener;

/**
 * The alerting path with the real servers: the application with the demo's traffic, Debian's
 * Prometheus scraping it every second with the repository's rules, and Debian's Alertmanager with
 * the repository's configuration posting to a Slack receiver played by an HTTP server here.
 */
class AlertingIT {

    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<JsonNode> slackMessages = new CopyOnWriteArrayList<>();

    @Test
    void shouldPostTheBrokenCanaryAndTheShiftedFeaturesToSlack() throws Exception {
        final HttpServer slack = slackReceiver();
        MonitMlApplication app = null;
        Process alertmanager = null;
        Process prometheus = null;
        Thread trafficThread = null;
        CanaryTrafficGenerator generator = null;
        try {
            app = MonitMlApplication.start(config(), PipelineListener.NONE);
            final MonitMlApplication running = app;
            await().atMost(Duration.ofSeconds(60)).until(() -> running.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
            BaselinePublisher.publish(app.config().bootstrapServers(), new SchemaRegistryClient(app.config().schemaRegistryUrl()),
                app.config().topics().baselines(), DemoBaseline.spec().key(), DemoBaseline.build(Instant.now()));

            final int alertmanagerPort = freePort();
            alertmanager = start("prometheus-alertmanager", "--config.file=" + alertmanagerConfig(slack).toAbsolutePath(),
                "--storage.path=" + Files.createDirectories(dir.resolve("am-data")),
                "--web.listen-address=127.0.0.1:" + alertmanagerPort, "--web.external-url=http://127.0.0.1:" + alertmanagerPort + "/",
                "--cluster.listen-address=");
            final int prometheusPort = freePort();
            prometheus = start("prometheus", "--config.file=" + prometheusConfig(app.httpPort(), alertmanagerPort).toAbsolutePath(),
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("prom-data")),
                "--web.listen-address=127.0.0.1:" + prometheusPort);
            awaitReady(alertmanagerPort);
            awaitReady(prometheusPort);

            generator = CanaryTrafficGenerator.create(TrafficConfig.defaults().withRequestsPerSecond(300)
                    .withDriftAfter(Duration.ofSeconds(45)),
                new HttpCloudEventSink(URI.create("http://127.0.0.1:" + app.httpPort() + "/")));
            trafficThread = new Thread(generator, "alerting-it-traffic");
            trafficThread.start();

            final JsonNode floor = awaitSlack("MonitMLPredictionMeanBelowFloor");
            keep("canary-floor", floor);
            assertThat(floor.toString()).contains("v2").doesNotContain("variant v1");
            final JsonNode drift = awaitSlack("MonitMLFeatureDrift");
            keep("feature-drift", drift);
            assertThat(drift.toString()).contains("rm");
            assertThat(slackMessages).noneSatisfy(message ->
                assertThat(message.toString()).contains("MonitMLPredictionMeanBelowFloor").contains("v1 "));
        } finally {
            if (generator != null) {
                generator.close();
                trafficThread.join(5_000);
            }
            stop(prometheus);
            stop(alertmanager);
            if (app != null) {
                app.close();
            }
            slack.stop(0);
        }
    }

    /** Keeps the message as Slack received it in the build output, for the README and for people to look at. */
    private static void keep(final String name, final JsonNode message) throws IOException {
        final Path out = Files.createDirectories(Path.of("target", "alerting"));
        Files.writeString(out.resolve(name + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(message));
    }

    private MonitMlConfig config() {
        return TestConfigs.embedded("monitml-alerting-it", dir.resolve("app"),
            TestConfigs.topology(TopologySettings.Sources.cloudEventsOnly(), Duration.ofSeconds(2), TopologySettings.Pairing.off()), 1);
    }

    private HttpServer slackReceiver() throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/slack", exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                slackMessages.add(JSON.readTree(body));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        return server;
    }

    /** The repository's configuration as it is, but for where the webhook URL secret lives. */
    private Path alertmanagerConfig(final HttpServer slack) throws IOException {
        final Path repo = Path.of("..", "deploy", "alertmanager");
        final Path secret = Files.writeString(dir.resolve("slack-webhook-url"),
            "http://127.0.0.1:" + slack.getAddress().getPort() + "/slack");
        final Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, Files.readString(repo.resolve("alertmanager.yml"))
            .replace("/etc/alertmanager/secrets/slack-webhook-url", secret.toAbsolutePath().toString()));
        final Path templates = Files.createDirectories(dir.resolve("templates"));
        try (var files = Files.list(repo.resolve("templates"))) {
            for (Path template : files.toList()) {
                Files.copy(template, templates.resolve(template.getFileName()));
            }
        }
        return config;
    }

    private Path prometheusConfig(final int appPort, final int alertmanagerPort) throws IOException {
        final Path rules = Path.of("..", "deploy", "prometheus", "rules", "monitml.rules.yml").toAbsolutePath().normalize();
        return Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
            "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s",
            "rule_files:", "  - " + rules,
            "alerting:", "  alertmanagers:", "    - static_configs:", "        - targets: ['127.0.0.1:" + alertmanagerPort + "']",
            "scrape_configs:", "  - job_name: monitml", "    static_configs:", "      - targets: ['127.0.0.1:" + appPort + "']", ""));
    }

    private Process start(final String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve(Path.of(command[0]).getFileName() + ".log").toFile()).start();
    }

    private static void stop(final Process process) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static void awaitReady(final int port) {
        final HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private JsonNode awaitSlack(final String alertName) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(
            () -> slackMessages.stream().filter(m -> m.toString().contains(alertName)).findFirst().orElse(null),
            message -> message != null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
