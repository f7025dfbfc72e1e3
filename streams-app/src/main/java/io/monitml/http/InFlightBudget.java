package io.monitml.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of ingest requests admitted and not yet reported on by the producer, bounded: a
 * request that would pass the bound is shed (and counted), except that one request is always
 * admitted when nothing is in flight, whatever its size.
 */
final class InFlightBudget {

    private final long max;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();

    InFlightBudget(final long max) {
        if (max <= 0) {
            throw new IllegalArgumentException("maxInFlightBytes must be positive, got " + max);
        }
        this.max = max;
    }

    /** Takes {@code bytes} of the budget if there is room; counts the request as shed if not. */
    boolean admit(final long bytes) {
        final long after = inFlight.addAndGet(bytes);
        if (after > max && after != bytes) {
            inFlight.addAndGet(-bytes);
            shed.incrementAndGet();
            return false;
        }
        return true;
    }

    void release(final long bytes) {
        if (bytes > 0) {
            inFlight.addAndGet(-bytes);
        }
    }

    long max() {
        return max;
    }

    long inFlight() {
        return inFlight.get();
    }

    long shed() {
        return shed.get();
    }
}
