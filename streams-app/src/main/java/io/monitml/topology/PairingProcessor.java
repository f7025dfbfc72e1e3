package io.monitml.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.state.RecentIds;
import io.monitml.state.RecentIdsStore;

/**
 * Pairs a request with its response by request id within a bounded event-time wait, one entry per
 * inference (not per row). A pair is emitted as soon as both halves are there; a half still alone
 * when the wait has passed is emitted alone, so that its rows are marked {@code response-missing} or
 * {@code request-missing}. A paired inference leaves the store at once, and {@link RecentPairsStore}
 * remembers its id for at least the wait, across restarts and rebalances, so that a duplicate event
 * is recognised and counted once.
 * Rows are counted as before: each row with both halves is one pair, a row on one side only (a
 * response with fewer rows) is one unpaired half.
 *
 * <p>The store is a write-behind store over RocksDB ({@link io.monitml.state.WriteBehindStore}): a
 * request whose response comes within the commit interval, the usual case, costs no write and no
 * changelog record; only the halves still waiting at a commit are written.
 *
 * <p>The wait is measured in this stage's own event time, the latest half's time seen, never ahead
 * of the clock: not in Kafka Streams' stream time, which this task shares with the raw input (the
 * latency partials join the prediction partials' repartition, so the two are one sub-topology)
 * and which a record stamped by a wrong clock moves to wherever that clock says, expiring every
 * pending request at once. It is committed with the recent pairs, so that a restarted stage waits
 * from where it was.
 */
final class PairingProcessor implements Processor<String, InferenceHalf, String, PairedInference> {


    /** The shortest interval of the expiry pass, in stream time. */
    private static final Duration MIN_EXPIRY_CHECK = Duration.ofSeconds(1);

    private final long waitMillis;
    private final long expiryIntervalMillis;
    /** Enough for 16,000 inferences a second over a wait of one minute; beyond, duplicates are recognised for less than the wait. */
    static final int MAX_RECENT_PAIRS = 1 << 20;

    private final PipelineListener listener;
    private RecentIdsStore recent;
    private ProcessorContext<String, PairedInference> context;
    private KeyValueStore<String, PendingInference> pending;
    /** The latest half's time seen, bounded by the clock when used. */
    private long latestEventTime;
    private long nextExpiry;

    PairingProcessor(final Duration wait, final PipelineListener listener) {
        this.waitMillis = wait.toMillis();
        this.expiryIntervalMillis = expiryInterval(wait).toMillis();
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, PairedInference> context) {
        this.context = context;
        this.pending = context.getStateStore(Names.PAIRING_STORE);
        this.recent = context.getStateStore(Names.PAIRING_RECENT_STORE);
        recent.load();
        // Before the first commit of this version, only Kafka Streams' stream time tells where the stage was.
        this.latestEventTime = recent.latestEventTime() != Long.MIN_VALUE ? recent.latestEventTime()
            : Math.min(context.currentStreamTimeMs(), context.currentSystemTimeMs());
        this.nextExpiry = latestEventTime + expiryIntervalMillis;
    }

    /**
     * The pass reads every pending entry, so it runs every quarter of the wait of event time, not
     * every second: each entry is read about four times in its life instead of once per second of its
     * wait (at 60 s, 60 times). A lone half is reported at most a quarter of the wait after its wait has passed.
     */
    private void maybeExpire(final long eventTime) {
        latestEventTime = Math.max(latestEventTime, eventTime);
        recent.latestEventTime(latestEventTime);
        final long now = Math.min(latestEventTime, context.currentSystemTimeMs());
        if (now >= nextExpiry) {
            expire(now);
            nextExpiry = now + expiryIntervalMillis;
        }
    }

    @Override
    public void process(final Record<String, InferenceHalf> record) {
        final InferenceHalf half = record.value();
        final String requestId = record.key();
        maybeExpire(half.eventTime());
        PendingInference entry = pending.get(requestId);
        final long id = RecentIds.hash(requestId);
        if (entry == null ? recent.contains(id, latestEventTime) : entry.has(half)) {
            listener.duplicate(half.kind());
            return;
        }
        entry = entry == null ? PendingInference.first(half) : entry.with(half);
        if (entry.complete()) {
            final PairedInference paired = new PairedInference(requestId, entry.request(), entry.response());
            countRows(paired);
            context.forward(new Record<>(requestId, paired, entry.request().eventTime()));
            pending.delete(requestId);
            recent.add(id, latestEventTime);
        } else {
            pending.put(requestId, entry);
        }
    }

    /** One pair per row with both halves; a row on one side only is that side alone. */
    private void countRows(final PairedInference inference) {
        for (int row = 0; row < inference.rows(); row++) {
            switch (inference.pairing(row)) {
                case PairedInference.PAIRED -> listener.paired();
                case PairedInference.RESPONSE_MISSING -> listener.unpaired(PipelineListener.REQUEST);
                default -> listener.unpaired(PipelineListener.RESPONSE);
            }
        }
    }

    private void expire(final long eventTime) {
        final List<String> expired = new ArrayList<>();
        long seen = 0;
        try (KeyValueIterator<String, PendingInference> entries = pending.all()) {
            while (entries.hasNext()) {
                final KeyValue<String, PendingInference> entry = entries.next();
                seen++;
                if (entry.value.firstSeen() + waitMillis <= eventTime) {
                    expired.add(entry.key);
                    emitAlone(entry.key, entry.value);
                }
            }
        }
        expired.forEach(pending::delete);
        // Counted by the pass itself: RocksDB's estimate of its keys drifts with every delete.
        listener.pairingPending(context.taskId().toString(), seen - expired.size());
    }

    private void emitAlone(final String requestId, final PendingInference entry) {
        final PairedInference alone = new PairedInference(requestId, entry.request(), entry.response());
        countRows(alone);
        context.forward(new Record<>(requestId, alone, entry.firstSeen()));
    }

    static Duration expiryInterval(final Duration wait) {
        final Duration quarter = wait.dividedBy(4);
        return quarter.compareTo(MIN_EXPIRY_CHECK) < 0 ? MIN_EXPIRY_CHECK : quarter;
    }
}
