package io.monitml.demo;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** The asynchronous requests a sender of the demo has in flight: at most a bound, and all awaited when it closes. */
final class InFlight {

    private final int max;
    private final Semaphore permits;

    InFlight(final int max) {
        this.max = max;
        this.permits = new Semaphore(max);
    }

    /** Waits for room for one more request; false when interrupted (the request is then not sent). */
    boolean acquire() {
        try {
            permits.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void release() {
        permits.release();
    }

    /** Waits, at most {@code timeout}, for every request in flight to finish. */
    void awaitIdle(final Duration timeout) {
        try {
            if (permits.tryAcquire(max, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                permits.release(max);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
