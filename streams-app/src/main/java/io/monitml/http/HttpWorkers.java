package io.monitml.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

/**
 * The HTTP port's threads: a fixed pool with a bounded queue, and load shedding beyond it.
 *
 * <p>{@code threads} workers serve requests; up to {@link #QUEUE_PER_THREAD} times as many
 * requests wait for one. A request that finds the queue full is handed to a small shedding pool
 * whose threads answer {@code 503} with {@code Retry-After} and a JSON message at once, without
 * reading the body (see {@link #filter()}), so a client under overload learns to back off instead
 * of waiting in an unbounded queue. When the shedding threads are busy too, the server's accepting
 * thread answers the 503 itself: it accepts no new connection meanwhile, which is backpressure
 * through the kernel's listen backlog. The read timeout ({@link HttpServerTimeouts}) bounds how long
 * any of these threads can be held by a client that sends slowly.
 */
final class HttpWorkers {

    static final int QUEUE_PER_THREAD = 64;
    static final int SHEDDING_THREADS = 2;
    static final String RETRY_AFTER_SECONDS = "1";

    private static final ThreadLocal<Boolean> SHEDDING = new ThreadLocal<>();
    private static final byte[] OVERLOADED = ("{\"error\":\"service unavailable\",\"message\":\"MonitML's HTTP port is busy"
        + " (every worker thread is in use and the queue is full); retry after " + RETRY_AFTER_SECONDS + " s\"}")
        .getBytes(StandardCharsets.UTF_8);

    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor shedding;
    private final AtomicLong shed = new AtomicLong();

    HttpWorkers(final int threads, final String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("the HTTP threads must be at least 1: " + threads);
        }
        final RejectedExecutionHandler onDispatcher = (task, pool) -> {
            if (!pool.isShutdown()) {
                shedding(task).run();
            }
        };
        shedding = new ThreadPoolExecutor(SHEDDING_THREADS, SHEDDING_THREADS, 0, TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(), daemons(name + "-shed"), onDispatcher);
        final RejectedExecutionHandler shed = (task, pool) -> {
            if (!pool.isShutdown()) {
                this.shed.incrementAndGet();
                shedding.execute(shedding(task));
            }
        };
        workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_PER_THREAD * threads), daemons(name), shed);
    }

    /** The server's executor. */
    ExecutorService executor() {
        return workers;
    }

    /** Requests waiting for a worker. */
    int queued() {
        return workers.getQueue().size();
    }

    /** Requests answered 503 because the pool and its queue were full. */
    long shed() {
        return shed.get();
    }

    /** Put first on every context: answers a shed request with 503 instead of serving it. */
    static Filter filter() {
        return new Filter() {
            @Override
            public void doFilter(final HttpExchange exchange, final Chain chain) throws IOException {
                if (!Boolean.TRUE.equals(SHEDDING.get())) {
                    chain.doFilter(exchange);
                    return;
                }
                try (exchange) {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
                    // The unread body is not worth draining: close the connection after the answer.
                    exchange.getResponseHeaders().set("Connection", "close");
                    final boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
                    exchange.sendResponseHeaders(503, head ? -1 : OVERLOADED.length);
                    if (!head) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(OVERLOADED);
                        }
                    }
                }
            }

            @Override
            public String description() {
                return "answers 503 when the HTTP workers and their queue are full";
            }
        };
    }

    void shutdownNow() {
        workers.shutdownNow();
        shedding.shutdownNow();
    }

    private static Runnable shedding(final Runnable exchange) {
        return () -> {
            SHEDDING.set(Boolean.TRUE);
            try {
                exchange.run();
            } finally {
                SHEDDING.remove();
            }
        };
    }

    private static java.util.concurrent.ThreadFactory daemons(final String name) {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
