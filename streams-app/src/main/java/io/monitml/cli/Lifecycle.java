package io.monitml.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a command until Ctrl-C (SIGINT) or SIGTERM, then closes what it started, once, before the
 * JVM exits. A stop requested during start-up takes effect as soon as start-up is done; a failed
 * start-up leaves nothing behind that would hold the JVM's exit.
 */
final class Lifecycle {

    private Lifecycle() {
    }

    static void runUntilStopped(final Callable<AutoCloseable> startup) throws Exception {
        final CountDownLatch stopRequested = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "monitml-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (AutoCloseable resources = startup.call()) {
            stopRequested.await();
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running and has just been released.
            }
        }
    }
}
