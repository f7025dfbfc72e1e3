package io.monitml.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a command running until Ctrl-C (SIGINT/SIGTERM), then closes what it started, once,
 * before the JVM exits.
 */
final class Lifecycle {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    Lifecycle() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "monitml-shutdown"));
    }

    /** Blocks until a shutdown is requested, then runs {@code close}. */
    void runUntilStopped(final AutoCloseable resources) throws Exception {
        try (resources) {
            stopped.await();
        } finally {
            closed.countDown();
        }
    }
}
