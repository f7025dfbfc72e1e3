package io.monitml.http;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read timeout of every {@code com.sun.net.httpserver} server in this JVM: the application's
 * HTTP port and the embedded schema registry.
 *
 * <p>The JDK server reads a request's line, headers and body on a worker thread, so a client that
 * connects and sends nothing, or drips its request a byte at a time, would hold a connection (and,
 * once it has sent a byte, a worker) forever. The JDK closes such connections when these system
 * properties are set, measured on JDK 17:
 * <ul>
 *   <li>{@code sun.net.httpserver.maxReqTime} (seconds): a request whose line, headers and body
 *       are not all read within it is closed; the time counts from the first byte, including any
 *       wait in the worker queue, and does not include the handler's own work;</li>
 *   <li>{@code sun.net.httpserver.timerMillis}: how often that is checked (JDK default 1 s);</li>
 *   <li>{@code sun.net.httpserver.clockTick} (ms): how often connections that were accepted but
 *       sent nothing are checked; they are closed after the smaller of
 *       {@code sun.net.httpserver.idleInterval} (30 s) and {@code maxReqTime} (JDK default 10 s,
 *       so such a connection would otherwise live up to 10 s longer than the timeout).</li>
 * </ul>
 * {@code maxRspTime} is deliberately left alone: it counts the handler's time too, and the
 * ingest endpoint waits for Kafka's acknowledgement before it answers.
 *
 * <p>The JDK reads these properties once, when its server classes load, so {@link #apply} must
 * run before the first server is created in the process, and its value is process-wide. A
 * property already set (e.g. with {@code -D}) is kept.
 */
public final class HttpServerTimeouts {

    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
    static final String TIMER_MILLIS = "sun.net.httpserver.timerMillis";
    static final String CLOCK_TICK = "sun.net.httpserver.clockTick";

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerTimeouts.class);

    private HttpServerTimeouts() {
    }

    /**
     * Sets the properties that are not set yet; returns the read timeout in effect.
     *
     * @param readTimeout whole seconds, at least 1 (the JDK's unit); rounded up
     */
    public static synchronized Duration apply(final Duration readTimeout) {
        if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("the HTTP read timeout must be positive: " + readTimeout);
        }
        final long seconds = Math.max(1, (readTimeout.toMillis() + 999) / 1000);
        // Check a few times per timeout, at most once a second (the JDK's default) and at least every 100 ms.
        final long checkMillis = Math.max(100, Math.min(1000, seconds * 1000 / 8));
        final Map<String, String> wanted = Map.of(
            MAX_REQ_TIME, Long.toString(seconds),
            TIMER_MILLIS, Long.toString(checkMillis),
            CLOCK_TICK, Long.toString(checkMillis));
        wanted.forEach((name, value) -> {
            final String current = System.getProperty(name);
            if (current == null) {
                System.setProperty(name, value);
            } else if (!current.equals(value)) {
                LOG.info("HTTP: keeping {}={} set for this JVM (the configured read timeout would set {})", name, current, value);
            }
        });
        try {
            return Duration.ofSeconds(Long.parseLong(System.getProperty(MAX_REQ_TIME).trim()));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(seconds);
        }
    }
}
