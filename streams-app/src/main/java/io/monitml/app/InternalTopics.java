package io.monitml.app;

import io.monitml.ingest.Limits;
import io.monitml.topology.DriftRecords;

/** The size of the records on the topics Kafka Streams creates for MonitML (repartition, changelog). */
final class InternalTopics {

    private static final int MIB = 1 << 20;

    private InternalTopics() {
    }

    /**
     * The largest record on them: the largest window partial the limits allow, with room for its
     * key and headers, in whole MiB, never below Kafka's default. Every other internal record
     * (prediction partials, pairing entries) is smaller.
     */
    static int maxRecordBytes(final Limits limits) {
        final long bytes = DriftRecords.maxPartialBytes(limits) + 64 * 1024;
        final long mib = (bytes + MIB - 1) / MIB;
        if (mib > Integer.MAX_VALUE / MIB) {
            throw new IllegalArgumentException("--max-features " + limits.maxFeatures() + " makes a window's partial larger than Kafka takes");
        }
        return (int) Math.max(1, mib) * MIB;
    }
}
