package io.monitml.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose request line and headers are not all in within the read timeout of
 * the request's first byte.
 *
 * <p>Jetty parses headers without holding a thread, and its idle timeout closes a connection that
 * sends nothing; but a client that sends a header line every few seconds is never idle, and would
 * keep its connection (and a slot of the connection limit) for ever. Jetty has no deadline for the
 * headers, so this sweeps the connector's connections a few times per timeout and closes those
 * whose parser has been inside one request's headers for longer. Only the header phase is timed:
 * a request waiting in the queue for a worker is not the client's fault, and a handler that reads
 * a body bounds its own read ({@link CloudEventIngest}).
 */
final class ReadDeadline extends AbstractLifeCycle implements Runnable {

    private final ServerConnector connector;
    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final long sweepMillis;
    private final AtomicLong closed = new AtomicLong();
    private volatile Scheduler.Task next;

    ReadDeadline(final ServerConnector connector, final Scheduler scheduler, final java.time.Duration timeout) {
        this.connector = connector;
        this.scheduler = scheduler;
        this.timeoutNanos = timeout.toNanos();
        // A few sweeps per timeout: a slow connection lives at most an eighth of it longer.
        this.sweepMillis = Math.max(50, Math.min(1_000, timeout.toMillis() / 8));
    }

    /** Connections closed so far for headers slower than the timeout. */
    long closed() {
        return closed.get();
    }

    @Override
    protected void doStart() {
        next = scheduler.schedule(this, sweepMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        final Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    public void run() {
        try {
            final long now = NanoTime.now();
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                final HttpParser parser = parser(endPoint.getConnection());
                if (parser != null && slow(parser, now)) {
                    closed.incrementAndGet();
                    endPoint.close(new TimeoutException("request headers not received within the read timeout"));
                }
            }
        } finally {
            if (isRunning()) {
                next = scheduler.schedule(this, sweepMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private boolean slow(final HttpParser parser, final long now) {
        final long began = parser.getBeginNanoTime();
        return began != 0 && parser.inHeaderState() && !parser.isStart() && NanoTime.elapsed(began, now) > timeoutNanos;
    }

    private static HttpParser parser(final Connection connection) {
        if (connection instanceof HttpConnection http) {
            return http.getParser();
        }
        if (connection instanceof SslConnection tls) {
            return parser(tls.getSslEndPoint().getConnection());
        }
        return null;
    }
}
