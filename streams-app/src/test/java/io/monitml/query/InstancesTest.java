package io.monitml.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Asking other instances, against fake peers (JDK servers in this test): the request carries the
 * instance's own token; a peer that sends without end is cut at the cap, a slow one at the
 * deadline, with an error that names neither the peer nor anything it sent; several peers are
 * asked at once.
 */
class InstancesTest {

    private static final String OWN_TOKEN = "the-instances-token";
    private static final String PEER_TEXT = "PEER-SECRET-TEXT";
    private static final Duration DEADLINE = Duration.ofMillis(1_500);
    private static final int CAP = 64 * 1024;

    private final List<HttpServer> peers = new ArrayList<>();
    private final ExecutorService peerThreads = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stop() {
        peers.forEach(peer -> peer.stop(0));
        peerThreads.shutdownNow();
    }

    @Test
    void sendsTheInstancesOwnTokenAndNothingWithoutOne() {
        final HostInfo peer = peer(exchange -> answer(exchange, 200, "{\"units\":[]}"));

        assertThat(instances(OWN_TOKEN).ask(peer, "/api/v1/units").status()).isEqualTo(200);
        assertThat(instances(null).ask(peer, "/api/v1/units").status()).isEqualTo(200);

        assertThat(authorizations).containsExactly("Bearer " + OWN_TOKEN, "(none)");
    }

    @Test
    void cutsAPeerThatSendsWithoutEndAtTheCapWithA502ThatNamesNothingOfThePeer() {
        final HostInfo peer = peer(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            final byte[] chunk = (PEER_TEXT + " ").repeat(1024).getBytes(StandardCharsets.UTF_8);
            final long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            try (OutputStream out = exchange.getResponseBody()) {
                while (System.nanoTime() < end) {
                    out.write(chunk);
                }
            } catch (IOException cut) {
                // the asking instance stopped reading: what this test wants
            }
        });
        final long started = System.nanoTime();

        assertThatThrownBy(() -> instances(OWN_TOKEN).ask(peer, "/api/v1/units"))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(502))
            .hasMessageContaining("more than " + CAP + " bytes")
            .satisfies(e -> assertNamesNothingOf(peer, e.getMessage()));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DEADLINE);
    }

    @Test
    void cutsAPeerThatAnswersSlowlyAtTheDeadlineForTheWholeExchange() {
        // Headers at once, then a byte every 100 ms without end: only a deadline on the whole exchange ends it.
        final HostInfo dribbling = peer(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            final long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            try (OutputStream out = exchange.getResponseBody()) {
                while (System.nanoTime() < end) {
                    out.write('{');
                    out.flush();
                    pause(100);
                }
            } catch (IOException cut) {
                // cut by the asking instance
            }
        });
        final HostInfo silent = peer(exchange -> pause(30_000));

        for (HostInfo peer : List.of(dribbling, silent)) {
            final long started = System.nanoTime();
            assertThatThrownBy(() -> instances(OWN_TOKEN).ask(peer, "/api/v1/pipeline"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("did not answer within " + DEADLINE.toMillis() + " ms")
                .satisfies(e -> assertNamesNothingOf(peer, e.getMessage()));
            final Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("a peer that %s was cut after %d ms (deadline %d ms)%n", peer == silent ? "never answers" : "dribbles its body",
                took.toMillis(), DEADLINE.toMillis());
            assertThat(took).isBetween(DEADLINE.minusMillis(50), DEADLINE.plusMillis(1_000));
        }
    }

    @Test
    void asksSeveralPeersAtOnce() {
        final long delayMillis = 1_000;
        final HttpHandler slow = exchange -> {
            pause(delayMillis);
            answer(exchange, 200, "{\"counters\":[]}");
        };
        final List<HostInfo> twoSlowPeers = List.of(peer(slow), peer(slow));
        final long started = System.nanoTime();

        final List<Instances.Answer> answers = instances(OWN_TOKEN).askAll(twoSlowPeers, "/api/v1/pipeline");

        final long took = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("two peers that take %d ms each answered together in %d ms%n", delayMillis, took);
        assertThat(answers).extracting(Instances.Answer::status).containsExactly(200, 200);
        assertThat(took).as("about one peer's time, not two").isBetween(delayMillis, delayMillis * 3 / 2);
    }

    @Test
    void aPeerThatCannotBeReachedIsA503ThatDoesNotNameIt() {
        final HostInfo closed = new HostInfo("127.0.0.1", freePort());

        assertThatThrownBy(() -> instances(OWN_TOKEN).ask(closed, "/api/v1/units"))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503))
            .satisfies(e -> assertNamesNothingOf(closed, e.getMessage()));
    }

    private static void assertNamesNothingOf(final HostInfo peer, final String message) {
        assertThat(message).doesNotContain(peer.host(), Integer.toString(peer.port()), PEER_TEXT, "Exception", "java.");
    }

    private Instances instances(final String token) {
        return new Instances(new HostInfo("127.0.0.1", 1), "http", token, DEADLINE, CAP);
    }

    private HostInfo peer(final HttpHandler handler) {
        try {
            final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setExecutor(peerThreads);
            server.createContext("/", exchange -> {
                final String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.add(authorization == null ? "(none)" : authorization);
                handler.handle(exchange);
                exchange.close();
            });
            server.start();
            peers.add(server);
            return new HostInfo("127.0.0.1", server.getAddress().getPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(final HttpExchange exchange, final int status, final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A peer that is slow on purpose. */
    private static void pause(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
