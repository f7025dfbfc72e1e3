package io.monitml.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * The analysts' page in Debian's headless Chromium against the running application with the
 * demo's traffic (the broken canary, and the inputs shifted after a few seconds): the page lists
 * the units, opens the canary from the URL, shows it drifting with its drifted features first,
 * runs without a Content-Security-Policy violation or a script error, and makes a screenshot.
 */
class AnalystPageIT {

    private static final String CANARY = "seldon/housing/v2/classifier";
    private static final String STABLE = "seldon/housing/v1/classifier";
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Duration DRIFT_AFTER = Duration.ofSeconds(12);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration CHROMIUM_TIMEOUT = Duration.ofSeconds(60);
    private static final Path SCREENSHOT = Path.of("target", "ui", "analyst-page.png").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void shouldShowTheBrokenCanaryAndItsDriftedFeatures() throws Exception {
        final String chromium = chromium();
        try (MonitMlApplication app = MonitMlApplication.start(config(), PipelineListener.NONE);
             Traffic traffic = new Traffic(app, DRIFT_AFTER)) {
            await().atMost(PATIENCE).until(() -> app.state() == KafkaStreams.State.RUNNING);
            BaselinePublisher.publish(app.config().bootstrapServers(), new SchemaRegistryClient(app.config().schemaRegistryUrl()),
                app.config().topics().baselines(), DemoBaseline.spec().key(), DemoBaseline.build(Instant.now()));
            traffic.start();

            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                final JsonNode units = api(app, "/api/v1/units").path("units");
                assertThat(units.findValuesAsText("key")).contains(STABLE, CANARY);
                final JsonNode canary = unit(units, CANARY);
                assertThat(canary.path("status").asText()).isEqualTo("DRIFT");
                assertThat(canary.path("drift").path("driftedFeatures")).as("the canary's drifted features").isNotEmpty();
            });

            final String url = "http://127.0.0.1:" + app.httpPort() + "/ui/#" + CANARY;
            final Run[] last = new Run[1];
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                last[0] = run(chromium, "--dump-dom", url);
                return last[0].output().contains("data-ready=\"true\"");
            });
            final String dom = last[0].output();
            Files.createDirectories(SCREENSHOT.getParent());
            Files.writeString(SCREENSHOT.resolveSibling("analyst-page.html"), dom);
            assertThat(last[0].log()).as("the browser's console").doesNotContain("Content Security Policy", "Uncaught");

            final List<String> unitTags = tags(dom, "data-unit=\"" + CANARY + "\"");
            assertThat(unitTags).as("the canary's row in the list and its own section").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(tag -> assertThat(tag).contains("data-status=\"DRIFT\""));
            assertThat(tags(dom, "id=\"unit\"")).singleElement().asString()
                .as("the unit opened from the URL").contains("data-unit=\"" + CANARY + "\"", "data-status=\"DRIFT\"");
            assertThat(tags(dom, "data-unit=\"" + STABLE + "\"")).as("the stable variant's row").isNotEmpty();
            assertThat(dom).contains(">DRIFT</span>");
            assertThat(tags(dom, "data-prediction=\"")).as("the canary's predictions against the baseline")
                .singleElement().asString().contains("data-drifted=\"true\"");

            final List<String> features = attributes(dom, "<article[^>]*data-feature=\"([^\"]+)\"[^>]*data-drifted=\"(true|false)\"");
            final int reported = api(app, "/api/v1/units/" + CANARY + "/drift/latest").path("report").path("features").size();
            assertThat(features).as("a card for every feature of the drift report").hasSize(reported).hasSizeGreaterThan(5);
            final List<String> drifted = features.stream().filter(f -> f.endsWith("=true")).map(f -> f.substring(0, f.indexOf('='))).toList();
            assertThat(drifted).as("drifted features").isNotEmpty().containsAnyOf("rm", "lstat");
            assertThat(features.subList(0, drifted.size())).as("drifted features come first").allMatch(f -> f.endsWith("=true"));
            assertThat(dom).as("a chart per feature, with titles").contains("<title id=\"chart-title-", "rm: baseline and current proportions");

            Files.deleteIfExists(SCREENSHOT);
            final Run shot = run(chromium, "--screenshot=" + SCREENSHOT, "--window-size=1400,1800", url);
            assertThat(shot.log()).doesNotContain("Content Security Policy", "Uncaught");
            assertThat(SCREENSHOT).exists();
            assertThat(Files.size(SCREENSHOT)).as("a screenshot with something on it").isGreaterThan(50_000);
            assertThat(pngSize(SCREENSHOT)).containsExactly(1400, 1800);
        }
    }

    private MonitMlConfig config() {
        return TestConfigs.embedded("monitml-ui-it", dir.resolve("app"), TestConfigs.topology(TopologySettings.Sources.cloudEventsOnly(),
            WINDOW, new TopologySettings.Pairing(true, Duration.ofSeconds(10))), 2);
    }

    private static JsonNode api(final MonitMlApplication app, final String path) throws Exception {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode unit(final JsonNode units, final String key) {
        for (final JsonNode unit : units) {
            if (unit.path("key").asText().equals(key)) {
                return unit;
            }
        }
        throw new AssertionError("no unit " + key + " in " + units);
    }

    /** The opening tags of the DOM that contain {@code text}. */
    private static List<String> tags(final String dom, final String text) {
        final List<String> found = new ArrayList<>();
        final Matcher matcher = Pattern.compile("<[a-z][^<>]*" + Pattern.quote(text) + "[^<>]*>").matcher(dom);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    /** {@code group(1)=group(2)} of every match, in document order. */
    private static List<String> attributes(final String dom, final String regex) {
        final List<String> found = new ArrayList<>();
        final Matcher matcher = Pattern.compile(regex).matcher(dom);
        while (matcher.find()) {
            found.add(matcher.group(1) + "=" + matcher.group(2));
        }
        return found;
    }

    private static List<Integer> pngSize(final Path png) throws IOException {
        try (InputStream in = Files.newInputStream(png)) {
            final ByteBuffer header = ByteBuffer.wrap(in.readNBytes(24));
            assertThat(header.getLong(0)).as("PNG signature").isEqualTo(0x89504E470D0A1A0AL);
            return List.of(header.getInt(16), header.getInt(20));
        }
    }

    private record Run(String output, String log) {
    }

    /** Debian's chromium, headless, on a fresh profile, bounded in time; its stdout and its log with the page's console. */
    private Run run(final String chromium, final String... args) throws Exception {
        final int n = runs.incrementAndGet();
        final Path profile = Files.createDirectories(dir.resolve("chromium-profile-" + n));
        final Path out = dir.resolve("chromium-" + n + ".out");
        final Path log = dir.resolve("chromium-" + n + ".log");
        final List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run", "--user-data-dir=" + profile,
            "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000"));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        if (!process.waitFor(CHROMIUM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish within " + CHROMIUM_TIMEOUT + ": " + String.join(" ", command));
        }
        assertThat(process.exitValue()).as("chromium's exit status; its log: %s", log).isZero();
        return new Run(Files.readString(out), Files.readString(log));
    }

    /** Debian's chromium, which test.sh installs. */
    private static String chromium() {
        for (final String folder : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, "chromium"))) {
                return Path.of(folder, "chromium").toString();
            }
        }
        return fail("chromium is not installed: ./test.sh installs it (apt-get install chromium)");
    }

    /** The demo's canary traffic with its input shift (rm and lstat), posted to the ingest endpoint from a background thread until closed. */
    private static final class Traffic implements AutoCloseable {

        private final CanaryTrafficGenerator generator;
        private final HttpCloudEventSink sink;
        private final Thread thread;

        Traffic(final MonitMlApplication app, final Duration driftAfter) {
            sink = new HttpCloudEventSink(URI.create("http://127.0.0.1:" + app.httpPort() + "/"));
            // Half the traffic to the canary: a few hundred rows in each of its 2 s windows, well above the
            // 100 rows a drift verdict needs, even when the browser competes for the CPU.
            generator = CanaryTrafficGenerator.create(TrafficConfig.defaults().withRequestsPerSecond(400).withCanaryShare(0.5)
                .withDriftAfter(driftAfter), sink);
            thread = new Thread(generator, "ui-it-traffic");
        }

        void start() {
            thread.start();
        }

        @Override
        public void close() {
            generator.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.close();
        }
    }
}
