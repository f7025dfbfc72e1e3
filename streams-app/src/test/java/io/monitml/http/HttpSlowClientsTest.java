package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send slowly, too much or nothing, against the real port with a 4 s read timeout and
 * a 6 s idle timeout, while {@code /health/live} is asked every 100 ms on a new connection: 100
 * connections that send a header line every 2 s (never idle, so only the read deadline can end
 * them), 10 that connect and send nothing, 10 with headers over the limit, 10 that declare a 256 MiB
 * body on paths that take none and 3 that drip an ingest body. Every probe must answer 200 within
 * a second throughout; the header drippers must be closed 4 to 5.5 s after their first byte, the
 * silent ones 6 to 7.5 s after they connected, the ingest drippers answered 408 at the read
 * timeout, and the oversized requests answered (431, 413, 405) within a second without their
 * bodies being read.
 */
class HttpSlowClientsTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(6);
    private static final int DRIPPERS = 100;
    /** Fewer than the port's turns (4): a dripper that waited for a turn would get its read timeout only from then on. */
    private static final int INGEST_DRIPPERS = 3;
    private static final long PROBE_LIMIT_MILLIS = 1_000;
    /** The deadline is checked every eighth of the timeout, and the test's own threads share two cores. */
    private static final long SLACK_MILLIS = 1_500;

    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService drip = Executors.newScheduledThreadPool(2);
    private HttpApi http;

    @AfterEach
    void stop() throws IOException {
        drip.shutdownNow();
        for (Socket socket : sockets) {
            socket.close();
        }
        if (http != null) {
            http.close();
        }
    }

    @Test
    void slowAndOversizedClientsAreCutOffWhileTheProbesAnswerWithinASecond() throws Exception {
        final CloudEventIngest ingest = new CloudEventIngest(new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer()), "raw", CloudEventIngest.Settings.defaults().withSendTimeout(Duration.ofSeconds(5))
            .withReadTimeout(READ_TIMEOUT), IngestListener.NONE, java.time.Clock.systemUTC());
        http = TestPorts.serve(ingest, HttpApi.Settings.of(4).withTimeouts(READ_TIMEOUT, IDLE_TIMEOUT));
        final Map<String, Long> closedAfter = new ConcurrentHashMap<>();
        final Map<String, String> answers = new ConcurrentHashMap<>();

        final AtomicBoolean probing = new AtomicBoolean(true);
        final List<Long> probes = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> failedProbes = java.util.Collections.synchronizedList(new ArrayList<>());
        final Thread prober = new Thread(() -> {
            while (probing.get()) {
                final long sent = System.nanoTime();
                try {
                    final String answer = exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    final long millis = (System.nanoTime() - sent) / 1_000_000;
                    probes.add(millis);
                    if (!answer.startsWith("HTTP/1.1 200") || millis > PROBE_LIMIT_MILLIS) {
                        failedProbes.add(millis + " ms: " + answer.lines().findFirst().orElse(""));
                    }
                    Thread.sleep(100);
                } catch (IOException e) {
                    failedProbes.add("no answer: " + e);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "prober");
        prober.start();

        for (int i = 0; i < DRIPPERS; i++) {
            final int n = i;
            open("header-" + i, "GET /health HTTP/1.1\r\nHost: x\r\n", () -> "X-Slow-" + n + ": still coming\r\n", 2_000, closedAfter);
        }
        for (int i = 0; i < 10; i++) {
            open("silent-" + i, "", null, 0, closedAfter);
        }
        for (int i = 0; i < INGEST_DRIPPERS; i++) {
            open("ingest-body-" + i, "POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Ce-Type: io.seldon.serving.inference.request\r\nCe-Requestid: r1\r\nContent-Length: 1000\r\n\r\n{", () -> "1", 500,
                closedAfter, answers);
        }
        final Map<String, Long> refusals = new ConcurrentHashMap<>();
        for (int i = 0; i < 10; i++) {
            refused("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(HeaderLimits.MAX_HEADER_BYTES) + "\r\n\r\n", "431", refusals);
            final String huge = "Content-Length: " + (256L << 20) + "\r\n\r\n{\"data\":";
            refused((i % 2 == 0 ? "GET /api/v1/units" : "GET /metrics") + " HTTP/1.1\r\nHost: x\r\n" + huge, "413", refusals);
            refused("PUT /health/live HTTP/1.1\r\nHost: x\r\n" + huge, "405", refusals);
        }

        await().atMost(IDLE_TIMEOUT.plusMillis(SLACK_MILLIS * 2)).until(() -> closedAfter.size() == DRIPPERS + 10 + INGEST_DRIPPERS);
        probing.set(false);
        prober.join(5_000);

        final long slowestProbe = probes.stream().mapToLong(Long::longValue).max().orElseThrow();
        final LongRange headers = LongRange.of(closedAfter, "header-");
        final LongRange silent = LongRange.of(closedAfter, "silent-");
        final LongRange ingestBodies = LongRange.of(closedAfter, "ingest-body-");
        final long slowestRefusal = refusals.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("read timeout %d ms, idle timeout %d ms: %d probes, the slowest %d ms; %d header drippers closed after"
                + " %s ms, 10 silent connections after %s ms, %d ingest body drippers after %s ms; 30 oversized requests answered,"
                + " the slowest in %d ms (the slowest of each kind: %s)%n", READ_TIMEOUT.toMillis(), IDLE_TIMEOUT.toMillis(), probes.size(),
            slowestProbe, DRIPPERS, headers, silent, INGEST_DRIPPERS, ingestBodies, slowestRefusal, refusals);
        assertThat(failedProbes).as("probes that failed or took over a second").isEmpty();
        assertThat(probes).as("probes answered").hasSizeGreaterThan(20);
        assertThat(slowestProbe).isLessThan(PROBE_LIMIT_MILLIS);
        assertThat(headers.min()).isGreaterThanOrEqualTo(READ_TIMEOUT.toMillis());
        assertThat(headers.max()).isLessThan(READ_TIMEOUT.toMillis() + SLACK_MILLIS);
        assertThat(silent.min()).isGreaterThanOrEqualTo(IDLE_TIMEOUT.toMillis() - 100);
        assertThat(silent.max()).isLessThan(IDLE_TIMEOUT.toMillis() + SLACK_MILLIS);
        assertThat(ingestBodies.min()).isGreaterThanOrEqualTo(READ_TIMEOUT.toMillis());
        assertThat(ingestBodies.max()).isLessThan(READ_TIMEOUT.toMillis() + SLACK_MILLIS);
        assertThat(answers.values()).as("the ingest body drippers' answers").hasSize(INGEST_DRIPPERS).allMatch(a -> a.startsWith("HTTP/1.1 408"));
        assertThat(slowestRefusal).as("the slowest refusal of an oversized request, ms").isLessThan(PROBE_LIMIT_MILLIS);
        assertThat(http.slowConnectionsClosed()).isEqualTo(DRIPPERS);
    }

    /** The smallest and largest of the values whose key starts with {@code prefix}. */
    private record LongRange(long min, long max) {

        static LongRange of(final Map<String, Long> values, final String prefix) {
            final long[] selected = values.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue).toArray();
            return new LongRange(java.util.Arrays.stream(selected).min().orElseThrow(), java.util.Arrays.stream(selected).max().orElseThrow());
        }

        @Override
        public String toString() {
            return min + "-" + max;
        }
    }

    /** Sends {@code request} on a new connection and reads the answer until the server closes; bounded by 10 s. */
    private String exchange(final String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", http.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends the head of an oversized request (never its body) and expects {@code status} at once, then the connection closed. */
    private void refused(final String head, final String status, final Map<String, Long> slowest) throws IOException {
        final long sent = System.nanoTime();
        final String answer = exchange(head);
        slowest.merge(head.substring(0, head.indexOf(' ', 5)) + " " + status, (System.nanoTime() - sent) / 1_000_000, Math::max);
        assertThat(answer).startsWith("HTTP/1.1 " + status).contains("\"status\":" + status);
    }

    /**
     * Opens a connection that sends {@code first} at once, then {@code next} every {@code everyMillis},
     * and records when the server closes it (counted from the first byte, or from connecting).
     */
    private void open(final String name, final String first, final java.util.function.Supplier<String> next, final long everyMillis,
                      final Map<String, Long> closed) throws IOException {
        open(name, first, next, everyMillis, closed, null);
    }

    private void open(final String name, final String first, final java.util.function.Supplier<String> next, final long everyMillis,
                      final Map<String, Long> closed, final Map<String, String> answers) throws IOException {
        final Socket socket = new Socket("127.0.0.1", http.port());
        sockets.add(socket);
        final long started = System.nanoTime();
        final OutputStream out = socket.getOutputStream();
        out.write(first.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (next != null) {
            drip.scheduleAtFixedRate(() -> {
                try {
                    out.write(next.get().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException("closed", e);
                }
            }, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
        }
        final Thread reader = new Thread(() -> {
            final StringBuilder answer = new StringBuilder();
            try {
                socket.setSoTimeout((int) IDLE_TIMEOUT.toMillis() * 3);
                final InputStream in = socket.getInputStream();
                for (int b = in.read(); b != -1; b = in.read()) {
                    answer.append((char) b);
                }
            } catch (IOException e) {
                // reset by the server: closed
            }
            closed.put(name, (System.nanoTime() - started) / 1_000_000);
            if (answers != null) {
                answers.put(name, answer.toString());
            }
        }, "slow-" + name);
        reader.setDaemon(true);
        reader.start();
    }
}
