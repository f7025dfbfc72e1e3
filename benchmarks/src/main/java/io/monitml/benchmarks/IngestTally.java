package io.monitml.benchmarks;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** One sender's counts in one phase, written by its thread only, read after it ended. */
final class IngestTally {
    long sent;
    long accepted;
    long failed;
    long lastDone;
    final Map<Integer, Long> others = new HashMap<>();
    long[] latency = new long[1 << 12];
    int latencies;

    void record(final int status, final long nanos, final long done) {
        sent++;
        if (status == 202) {
            accepted++;
        } else if (status < 0) {
            failed++;
        } else {
            others.merge(status, 1L, Long::sum);
        }
        if (latencies == latency.length) {
            latency = Arrays.copyOf(latency, latency.length * 2);
        }
        latency[latencies++] = nanos;
        lastDone = done;
    }
}
