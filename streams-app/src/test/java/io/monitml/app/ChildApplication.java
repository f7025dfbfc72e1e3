package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.monitml.PackagedJar;
import io.monitml.metrics.Scrape;

/**
 * {@code monitml run} in a JVM of its own, from the packaged jar a user runs, so that a test can
 * kill it as the kernel would ({@code SIGKILL}: no shutdown hook, no flush, no commit). Its log
 * goes to a file the test's failure messages point at.
 */
final class ChildApplication implements AutoCloseable {

    private static final Pattern HTTP_PORT = Pattern.compile("HTTP on http://[^:]+:(\\d+)");
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private int port;

    private ChildApplication(final Process process, final Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -jar target/monitml.jar run <arguments>} with a heap of 384 MiB, its output to {@code log}. */
    static ChildApplication start(final Path log, final List<String> arguments) {
        return start(log, "384m", arguments);
    }

    /** Starts {@code java -Xmx<heap> -jar target/monitml.jar run <arguments>}, its output to {@code log}. */
    static ChildApplication start(final Path log, final String heap, final List<String> arguments) {
        final List<String> runArguments = new ArrayList<>(List.of("run"));
        runArguments.addAll(arguments);
        final List<String> command = PackagedJar.command(heap, runArguments);
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildApplication(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /** Waits until the application answers {@code /health} with 200 (Kafka Streams RUNNING). */
    ChildApplication awaitReady() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as("the application is alive; its log: %s", log).isTrue();
            return port() > 0 && status("/health") == 200;
        });
        return this;
    }

    /** The HTTP port the application logged, 0 while it has not yet. */
    int port() {
        if (port == 0) {
            final Matcher matcher = HTTP_PORT.matcher(log());
            if (matcher.find()) {
                port = Integer.parseInt(matcher.group(1));
            }
        }
        return port;
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile() {
        return log;
    }

    /** The Prometheus scrape. */
    String metrics() {
        return get("/metrics").body();
    }

    /**
     * The sum of a metric's series whose labels contain {@code labels} (e.g. {@code stage="decode"}),
     * 0 if none does; the metric must be exported ({@link Scrape#sum}).
     */
    double metric(final String name, final String labels) {
        return Scrape.sum(metrics(), name, labels);
    }

    /** The sum of every series of a metric that must be exported. */
    double metric(final String name) {
        return metric(name, "");
    }

    private int status(final String path) {
        try {
            return get(path).statusCode();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(final String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed; the application's log: " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as the kernel's OOM killer or a lost node would: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** SIGTERM, as Kubernetes stops a pod, then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
