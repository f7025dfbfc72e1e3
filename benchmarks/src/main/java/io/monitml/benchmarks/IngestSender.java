package io.monitml.benchmarks;

import java.util.concurrent.locks.LockSupport;

/** One sender: one connection, a request event then its response event, over and over with new ids. */
abstract class IngestSender implements AutoCloseable {

    /** Digits of the event and call counters written into the ids. */
    static final int DIGITS = 10;
    private long sequence;
    private long sent;
    private long accepted;

    /** Posts event {@code sequence} (even: a request, odd: its call's response); returns its status, or -1 if the exchange failed. */
    abstract int exchange(long sequence, long nowMillis);

    final void run(final IngestTally tally, final long start, final long end, final double interval, final double offset) {
        long n = 0;
        while (true) {
            final long intended;
            if (interval == 0) {
                intended = System.nanoTime();
                if (intended >= end) {
                    break;
                }
            } else {
                intended = start + (long) (offset + n * interval);
                if (intended >= end) {
                    break;
                }
                long now;
                while ((now = System.nanoTime()) < intended) {
                    LockSupport.parkNanos(intended - now);
                }
                if (now >= end) {
                    break; // behind schedule: never send past the phase's end
                }
            }
            n++;
            final int status = exchange(sequence++, System.currentTimeMillis());
            final long done = System.nanoTime();
            sent++;
            if (status == 202) {
                accepted++;
            }
            tally.record(status, done - intended, done);
        }
    }

    final long sent() {
        return sent;
    }

    final long accepted() {
        return accepted;
    }

    @Override
    public void close() {
    }

    static String id(final String run, final int sender, final String kind) {
        return "b" + run + "-s" + sender + "-" + kind + "-";
    }

    static void writeDigits(final byte[] target, final int at, long value) {
        for (int i = at + DIGITS - 1; i >= at; i--) {
            target[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
