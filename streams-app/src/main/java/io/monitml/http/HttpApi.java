package io.monitml.http;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.config.Defaults;

/**
 * The application's one HTTP port, on Jetty: {@code POST /} and {@code POST /ingest} (Seldon's
 * request logger, see {@link CloudEventIngest}), {@code /metrics} (Prometheus text), {@code /health}
 * (ready: 200 only while Kafka Streams is RUNNING), {@code /health/live} (200 unless Kafka Streams
 * has failed or stopped), {@code /health/ready}, the query API under {@code /api/} and the page
 * under {@code /ui/}.
 *
 * <p>What bounds it, per connection and as a whole:
 * <ul>
 *   <li>headers: at most {@value HeaderLimits#MAX_HEADER_BYTES} bytes and {@value HeaderLimits#MAX_HEADERS} fields (431),
 *       all in within the read timeout of their first byte ({@link ReadDeadline}); a connection with
 *       nothing to read or write for the idle timeout is closed;</li>
 *   <li>bodies: only ingest reads one, after its token check, up to its limit; every other path
 *       refuses a request with a body unread and closes the connection;</li>
 *   <li>threads: Jetty parses without holding a thread; at most {@code threads} requests at once
 *       may hold one (queries wait for other instances, the page for its files), up to {@code queue}
 *       more wait for a turn without a thread for at most the read timeout, and beyond that the
 *       answer is 503 with {@code Retry-After} at once ({@link QoSHandler}). The probes and
 *       {@code /metrics} are outside that limit and the pool keeps {@value #SPARE_THREADS} threads
 *       beyond it, so that they answer while the limited requests are all blocked;</li>
 *   <li>ingest: outside that limit, since none of its requests holds a thread while it waits (for
 *       its body or for Kafka's acknowledgement): its own bound is the bytes in flight, beyond which
 *       it answers 503 with {@code Retry-After} at once ({@link CloudEventIngest}), counted with the
 *       limit's in {@link #shedRequests()};</li>
 *   <li>connections: at most {@code maxConnections}; beyond that Jetty stops accepting until one closes.</li>
 * </ul>
 * Every answer, Jetty's own errors included ({@link JsonErrorHandler}), is JSON in one shape
 * ({@link JsonReplies}) and carries {@code X-Content-Type-Options: nosniff}.
 */
public final class HttpApi implements AutoCloseable {

    /** Requests that may wait for a turn, per thread: Seldon's executors post in bursts of hundreds. */
    public static final int QUEUE_PER_THREAD = 64;
    /** Threads beyond the limited requests' for the probes, /metrics, the acceptor, the selector and parsing. */
    static final int SPARE_THREADS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final Server server;
    private final ServerConnector connector;
    private final QoSHandler limit;
    private final ReadDeadline readDeadline;
    private final CloudEventIngest ingest;

    /**
     * How the port is bounded.
     *
     * @param readTimeout    the request line and headers must be in within it of their first byte; ingest's body within it of its start
     * @param idleTimeout    a connection with nothing to read or write for this long is closed
     * @param threads        requests (other than the probes and /metrics) that may hold a thread at once
     * @param queue          requests that may wait for one of those, without a thread; beyond that 503
     * @param maxConnections open connections at most; beyond that no connection is accepted until one closes
     * @param tls            serve HTTPS with this context; null: plain HTTP
     */
    public record Settings(Duration readTimeout, Duration idleTimeout, int threads, int queue, int maxConnections, SSLContext tls) {

        public static final Duration DEFAULT_READ_TIMEOUT = Defaults.duration(Defaults.HTTP_READ_TIMEOUT);
        public static final Duration DEFAULT_IDLE_TIMEOUT = Defaults.duration(Defaults.HTTP_IDLE_TIMEOUT);
        public static final int DEFAULT_MAX_CONNECTIONS = Defaults.HTTP_MAX_CONNECTIONS;

        public Settings {
            Objects.requireNonNull(readTimeout, "readTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (threads < 1 || queue < 0 || maxConnections < 1) {
                throw new IllegalArgumentException("threads and maxConnections must be at least 1, queue at least 0: " + threads
                    + ", " + maxConnections + ", " + queue);
            }
        }

        /** The defaults with {@code threads} threads and their queue, plain HTTP. */
        public static Settings of(final int threads) {
            return new Settings(DEFAULT_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT, threads, QUEUE_PER_THREAD * threads,
                DEFAULT_MAX_CONNECTIONS, null);
        }

        public Settings withTls(final SSLContext context) {
            return new Settings(readTimeout, idleTimeout, threads, queue, maxConnections, context);
        }

        public Settings withTimeouts(final Duration read, final Duration idle) {
            return new Settings(read, idle, threads, queue, maxConnections, tls);
        }

        public Settings withQueue(final int waiting) {
            return new Settings(readTimeout, idleTimeout, threads, waiting, maxConnections, tls);
        }

        public Settings withMaxConnections(final int connections) {
            return new Settings(readTimeout, idleTimeout, threads, queue, connections, tls);
        }
    }

    private HttpApi(final Server server, final ServerConnector connector, final QoSHandler limit, final ReadDeadline readDeadline,
                    final CloudEventIngest ingest) {
        this.ingest = ingest;
        this.server = server;
        this.connector = connector;
        this.limit = limit;
        this.readDeadline = readDeadline;
    }

    /**
     * Binds the port, and serves nothing yet: its actual port (when {@code port} is 0) is this
     * instance's address for the others, which the query API and Kafka Streams need before
     * {@link Bound#serve} starts answering.
     */
    public static Bound bind(final String host, final int port, final Settings settings) {
        final Server server = new Server(pool(settings));
        server.setStopTimeout(1_000);
        server.setErrorHandler(new JsonErrorHandler());
        final ServerConnector connector = connector(server, host, port, settings);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
        try {
            connector.open();
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("Cannot listen on " + host + ":" + port + " (" + e.getMessage()
                + "); set MONITML_HTTP_PORT or --http-port to a free port", e);
        }
        return new Bound(server, connector, host, settings);
    }

    /** Binds the port and serves it without the query API (/api answers 404 once a request passes the port's checks): ingest, the probes, /metrics and the page. */
    public static HttpApi start(final String host, final int port, final Settings settings, final PrometheusMeterRegistry metrics,
                                final Supplier<KafkaStreams.State> streamsState, final CloudEventIngest ingest, final Request.Handler ui) {
        return bind(host, port, settings).serve(metrics, streamsState, ingest, null, ui, null);
    }

    /** A port bound and not yet served. */
    public static final class Bound {

        private final Server server;
        private final ServerConnector connector;
        private final String host;
        private final Settings settings;

        private Bound(final Server server, final ServerConnector connector, final String host, final Settings settings) {
            this.server = server;
            this.connector = connector;
            this.host = host;
            this.settings = settings;
        }

        public int port() {
            return connector.getLocalPort();
        }

        /**
         * Starts answering.
         *
         * @param ingest the CloudEvents ingest endpoint, served at {@code POST /} and {@code POST /ingest}; null: not served
         * @param labels the labels endpoint ({@link CloudEventIngest#forLabels}, sharing ingest's in-flight limit), served at {@code POST /api/v1/labels}; null: not served
         * @param ui     the analysts' page, served under {@code /ui/} ({@code GET /} redirects there)
         * @param api    the query API under {@code /api/}; null: not served
         */
        public HttpApi serve(final PrometheusMeterRegistry metrics, final Supplier<KafkaStreams.State> streamsState,
                             final CloudEventIngest ingest, final CloudEventIngest labels, final Request.Handler ui,
                             final Request.Handler api) {
            final ReadDeadline readDeadline = new ReadDeadline(connector, server.getScheduler(), settings.readTimeout());
            server.addBean(readDeadline);
            final QoSHandler limit = limit(settings, new PortRoutes(metrics, streamsState, ui, api));
            server.setHandler(new PortRoutes.Edge(ingest, labels, limit));
            try {
                server.start();
            } catch (Exception e) {
                stopQuietly(server);
                throw new IllegalStateException("Cannot serve " + host + ":" + port() + " (" + e.getMessage() + ")", e);
            }
            LOG.info("HTTP on {}://{}:{} (/ui/, /api/v1, /metrics, /health); {} requests at once, {} waiting, {} connections",
                settings.tls() == null ? "http" : "https", host, port(), settings.threads(), settings.queue(), settings.maxConnections());
            return new HttpApi(server, connector, limit, readDeadline, ingest);
        }

        /** Releases the port when it will not be served. */
        public void close() {
            stopQuietly(server);
        }
    }

    /** The limited requests' threads and the spare ones; only short tasks wait in its queue (parsing, the probes, resumed requests). */
    private static QueuedThreadPool pool(final Settings settings) {
        final int threads = settings.threads() + SPARE_THREADS;
        final QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(4, threads), (int) Duration.ofMinutes(1).toMillis(), -1,
            new BlockingArrayQueue<>(QUEUE_PER_THREAD * threads), null);
        pool.setName("monitml-http");
        pool.setDaemon(true);
        return pool;
    }

    /** HTTP/1.1, over TLS when the settings have a context; one acceptor and one selector suffice for a monitor's traffic. */
    private static ServerConnector connector(final Server server, final String host, final int port, final Settings settings) {
        final HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(HeaderLimits.MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setIdleTimeout(settings.idleTimeout().toMillis());
        final HttpConnectionFactory plain = new HttpConnectionFactory(http);
        final ConnectionFactory[] factories = settings.tls() == null ? new ConnectionFactory[] {plain}
            : new ConnectionFactory[] {new SslConnectionFactory(tlsFactory(settings.tls()), HttpVersion.HTTP_1_1.asString()), plain};
        final ServerConnector connector = new ServerConnector(server, 1, 1, factories);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        connector.setAcceptQueueSize(128);
        return connector;
    }

    /** At most {@code threads} requests at once, {@code queue} more waiting without a thread; the probes and /metrics never wait. */
    private static QoSHandler limit(final Settings settings, final Handler routes) {
        final QoSHandler limit = new QoSHandler(routes);
        limit.setMaxRequestCount(settings.threads());
        limit.setMaxSuspendedRequestCount(settings.queue());
        limit.setMaxSuspend(settings.readTimeout());
        limit.excludePath("/health", "/health/*", "/metrics");
        return limit;
    }

    private static SslContextFactory.Server tlsFactory(final SSLContext context) {
        final SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(context);
        return factory;
    }

    /**
     * Requests answered 503 at once because every thread was taken and the queue full, or that waited longer than the read
     * timeout, and ingest requests (labels too: they share the limit) answered 503 because its in-flight limit was reached.
     */
    public long shedRequests() {
        return limit.getTotalExceededRequestCount() + limit.getTotalExpiredRequestCount() + (ingest == null ? 0 : ingest.shedRequests());
    }

    /** Requests waiting for a turn. */
    int queuedRequests() {
        return limit.getSuspendedRequestCount();
    }

    /** Connections closed because their headers were not in within the read timeout. */
    long slowConnectionsClosed() {
        return readDeadline.closed();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(final Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("The HTTP port did not stop cleanly: {}", e.toString());
        }
    }
}
