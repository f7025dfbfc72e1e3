package io.monitml.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections that send a request a header line at a time, one line every {@code every}, never
 * finishing it: what a slowloris attack, or a stuck proxy, does to an HTTP port. Counts how many
 * the server has closed.
 */
final class SlowSenders implements AutoCloseable {

    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "slow-senders");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final long openedNanos = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicLong firstClosedNanos = new java.util.concurrent.atomic.AtomicLong();

    private SlowSenders() {
    }

    static SlowSenders open(final int port, final int connections, final Duration every) throws IOException {
        final SlowSenders senders = new SlowSenders();
        for (int i = 0; i < connections; i++) {
            final Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(1);
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: slow-" + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
            senders.sockets.add(socket);
        }
        final AtomicInteger line = new AtomicInteger();
        senders.drip.scheduleAtFixedRate(() -> senders.dripOnce(line.incrementAndGet()), every.toMillis(), every.toMillis(),
            TimeUnit.MILLISECONDS);
        return senders;
    }

    private void dripOnce(final int line) {
        for (Socket socket : sockets) {
            if (socket.isClosed()) {
                continue;
            }
            try {
                final OutputStream out = socket.getOutputStream();
                out.write(("X-Drip-" + line + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (serverClosed(socket)) {
                    closedByTheServer();
                    socket.close();
                }
            } catch (IOException e) {
                closedByTheServer();
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
    }

    private void closedByTheServer() {
        closedByServer.incrementAndGet();
        firstClosedNanos.compareAndSet(0, System.nanoTime());
    }

    /** Whether the server answered (an error) or closed the connection; reads nothing from a silent server. */
    private static boolean serverClosed(final Socket socket) throws IOException {
        final InputStream in = socket.getInputStream();
        try {
            return in.read() != -2;
        } catch (java.net.SocketTimeoutException silent) {
            return false;
        }
    }

    int connections() {
        return sockets.size();
    }

    int closedByServer() {
        return closedByServer.get();
    }

    /** How long after the connections opened the first was seen closed by the server (seen at the next drip); null while none. */
    Duration firstClosedAfter() {
        final long first = firstClosedNanos.get();
        return first == 0 ? null : Duration.ofNanos(first - openedNanos);
    }

    @Override
    public void close() {
        drip.shutdownNow();
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
