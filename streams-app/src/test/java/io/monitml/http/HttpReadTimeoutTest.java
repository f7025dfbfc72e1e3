package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow senders against the HTTP port with a 2 s read timeout, in a JVM of its own
 * ({@link SlowSenderServer}): the JDK reads its timeout properties once per process.
 */
class HttpReadTimeoutTest {

    private static final int THREADS = 2;
    private static final long TIMEOUT_MILLIS = 2_000;

    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService drip = Executors.newScheduledThreadPool(1);
    private Process child;

    @AfterEach
    void stop() throws Exception {
        drip.shutdownNow();
        for (Socket socket : sockets) {
            socket.close();
        }
        if (child != null) {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void slowSendersAreClosedWithinTheReadTimeoutAndANormalRequestIsAnswered() throws Exception {
        final int port = startServer("2s");
        final long started = System.nanoTime();
        // More slow connections than worker threads: two that send nothing, three that drip the request line
        // or headers a byte at a time, one that drips an ingest body; every worker is held by a dripper.
        final Map<String, Long> closedAfterMillis = new ConcurrentHashMap<>();
        open(port, "silent-1", "", null, started, closedAfterMillis);
        open(port, "silent-2", "", null, started, closedAfterMillis);
        open(port, "request-line", "G", "ET /metrics HTTP/1.1\r\n", started, closedAfterMillis);
        open(port, "headers", "GET /health HTTP/1.1\r\nHost: x\r\n", "X-Slow: ".repeat(50), started, closedAfterMillis);
        open(port, "headers-2", "GET /ui/ HTTP/1.1\r\nHost: x\r\n", "X-Slow: ".repeat(50), started, closedAfterMillis);
        open(port, "ingest-body", "POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Ce-Type: io.seldon.serving.inference.request\r\nCe-Requestid: r1\r\nContent-Length: 1000\r\n\r\n{",
            "1".repeat(900), started, closedAfterMillis);

        // No slow connection is cut during the first half of the timeout; then (so that its own time is not
        // over when the drippers' is) a normal request.
        await().during(Duration.ofMillis(TIMEOUT_MILLIS / 2)).atMost(Duration.ofMillis(TIMEOUT_MILLIS))
            .until(closedAfterMillis::isEmpty);
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final long normalSent = System.nanoTime();
        final HttpResponse<String> normal = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        final long normalMillis = (System.nanoTime() - normalSent) / 1_000_000;
        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(normal.body()).contains("\"status\":\"UP\"");

        await().atMost(Duration.ofMillis(TIMEOUT_MILLIS * 3)).until(() -> closedAfterMillis.size() == 6);
        System.out.printf("read timeout %d ms: slow connections closed after %s ms; normal request answered after %d ms%n",
            TIMEOUT_MILLIS, closedAfterMillis, normalMillis);
        assertThat(closedAfterMillis.values()).allSatisfy(millis ->
            assertThat(millis).isBetween(TIMEOUT_MILLIS - 100, TIMEOUT_MILLIS + 1_500));
        assertThat(normalMillis).isLessThan(TIMEOUT_MILLIS + 1_500);
    }

    /** Without the timeout (the JDK's defaults) the same drippers hold the workers and the normal request waits. */
    @Test
    void withoutTheTimeoutDrippersHoldEveryWorker() throws Exception {
        final int port = startServer("none");
        final long started = System.nanoTime();
        final Map<String, Long> closed = new ConcurrentHashMap<>();
        open(port, "headers", "GET /health HTTP/1.1\r\nHost: x\r\n", "X-Slow: ".repeat(200), started, closed);
        open(port, "headers-2", "GET /ui/ HTTP/1.1\r\nHost: x\r\n", "X-Slow: ".repeat(200), started, closed);
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final CompletableFuture<HttpResponse<String>> normal = client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        // For twice the timeout the request stays unanswered and no dripper is cut.
        await().during(Duration.ofMillis(TIMEOUT_MILLIS * 2)).atMost(Duration.ofMillis(TIMEOUT_MILLIS * 3))
            .until(() -> !normal.isDone() && closed.isEmpty());
    }

    private int startServer(final String timeout) throws IOException {
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
            "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), SlowSenderServer.class.getName(), timeout,
            Integer.toString(THREADS))
            .redirectErrorStream(true).start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        final StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PORT ")) {
                // Keep reading what the child logs, so that it never blocks on a full pipe.
                final Thread drain = new Thread(() -> out.lines().forEach(rest -> { }), "child-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring(5).trim());
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the child JVM ended without serving:\n" + seen);
    }

    /**
     * Opens a connection that sends {@code first} at once, then one byte of {@code drip} every 100 ms,
     * and records when the server closes it.
     */
    private void open(final int port, final String name, final String first, final String drip, final long started,
                      final Map<String, Long> closed) throws IOException {
        final Socket socket = new Socket("127.0.0.1", port);
        sockets.add(socket);
        final OutputStream out = socket.getOutputStream();
        out.write(first.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (drip != null) {
            final int[] next = {0};
            this.drip.scheduleAtFixedRate(() -> {
                try {
                    if (next[0] < drip.length() && !socket.isClosed()) {
                        out.write(drip.charAt(next[0]++));
                        out.flush();
                    }
                } catch (IOException e) {
                    // closed by the server: recorded by the reader
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
        }
        final Thread reader = new Thread(() -> {
            try {
                socket.setSoTimeout((int) (TIMEOUT_MILLIS * 10));
                final InputStream in = socket.getInputStream();
                while (in.read() != -1) {
                    // a response to a dripped request would be an error: it never completes
                }
            } catch (SocketTimeoutException e) {
                return;
            } catch (IOException e) {
                // reset by the server: closed
            }
            closed.put(name, (System.nanoTime() - started) / 1_000_000);
        }, "slow-" + name);
        reader.setDaemon(true);
        reader.start();
    }
}
