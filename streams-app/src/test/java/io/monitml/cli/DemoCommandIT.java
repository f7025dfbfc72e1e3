package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.PackagedJar;

/**
 * The README's first command as a newcomer runs it: {@code monitml demo} from the packaged jar, in
 * a JVM of its own, on a fresh data directory, its standard output and error in one stream as a
 * terminal shows them. Its banner is the first thing it prints besides the start-up's log lines,
 * and whole; the page it names answers; the broken canary's unit is there to look at; and it stops
 * on SIGTERM within a bound.
 */
class DemoCommandIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Pattern PAGE = Pattern.compile("^Page: (http://127\\.0\\.0\\.1:\\d+)/ui/   Metrics: \\1/metrics   Ctrl-C stops\\.$");
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR) ");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void shouldPrintItsBannerFirstAndWholeAndServeThePageItNames() throws Exception {
        final Path out = dir.resolve("console.txt");
        final Process demo = new ProcessBuilder(PackagedJar.command("384m", List.of("demo", "--data-dir",
            dir.resolve("data").toString(), "--http-port", "0", "--embedded-kafka-port", "0", "--embedded-registry-port", "0",
            "--rate", "50")))
            .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(demo.isAlive()).as("the demo runs; its output: %s", out).isTrue();
                assertThat(Files.readString(out)).contains("Ctrl-C stops.");
            });
            final List<String> lines = Files.readString(out).lines().filter(line -> !line.isBlank())
                .dropWhile(line -> LOG_LINE.matcher(line).lookingAt()).toList();
            assertThat(lines.get(0)).as("the first line that is not the start-up's log").startsWith("MonitML demo: 50.0 requests/s posted to http://127.0.0.1:")
                .matches(".*as Seldon's request logger would \\(v2 share 25%\\), drift from 2m on; the true prices of 30% of them to "
                    + "http://127\\.0\\.0\\.1:[0-9]+/api/v1/labels 10 to 50 s later\\.");
            final Matcher page = PAGE.matcher(lines.get(1));
            assertThat(page.matches()).as("the banner's second line, whole: %s", lines.get(1)).isTrue();
            final String base = page.group(1);

            final HttpResponse<String> ui = get(base + "/ui/");
            assertThat(ui.statusCode()).isEqualTo(200);
            assertThat(ui.body()).contains("<title>MonitML");
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(get(base + "/api/v1/units/seldon/housing/v2/classifier").body())
                    .as("the broken canary's last closed window").contains("\"mean\" : 100.0"));
            // The generator posts the true prices of its calls 10 to 50 s after them: the canary is off by about the whole price.
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                final JsonNode windows = new ObjectMapper().readTree(get(base + "/api/v1/units/seldon/housing/v2/classifier/performance?last=10m")
                    .body()).path("windows");
                assertThat(windows).as("v2's realized performance").anySatisfy(window -> {
                    assertThat(window.path("labelled").asLong()).isPositive();
                    assertThat(window.path("mae").asDouble()).isGreaterThan(5_000.0);
                });
            });
        } finally {
            demo.destroy();
            final boolean stopped = demo.waitFor(30, TimeUnit.SECONDS);
            if (!stopped) {
                demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(stopped).as("the demo stops within 30 s of SIGTERM; its output: %s", out).isTrue();
        }
    }

    private static HttpResponse<String> get(final String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
