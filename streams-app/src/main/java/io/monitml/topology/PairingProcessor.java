package io.monitml.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.avro.InferenceRecord;
import io.monitml.avro.PairingEntry;

/**
 * Pairs the rows of requests and responses by (request id, row index) within a bounded event-time
 * wait. A pair is emitted as soon as both halves are there; a half still alone when the wait has
 * passed is emitted marked {@code response-missing} or {@code request-missing}. A paired entry is
 * kept until the wait has passed so that a duplicate event is recognised and counted once.
 *
 * <p>The wait is measured in this stage's own event time, the latest row time seen, never ahead
 * of the clock: not in Kafka Streams' stream time, which this task shares with the raw input (the
 * latency partials join the prediction partials' repartition, so the two are one sub-topology)
 * and which a record stamped by a wrong clock moves to wherever that clock says, expiring every
 * pending request at once.
 */
final class PairingProcessor implements Processor<String, InferenceRecord, String, InferenceRecord> {

    static final String KIND_HEADER = "monitml.kind";
    static final String REQUEST = "request";
    static final String RESPONSE = "response";
    static final String PAIRED = "paired";
    static final String RESPONSE_MISSING = "response-missing";
    static final String REQUEST_MISSING = "request-missing";

    /** The shortest interval of the expiry pass, in stream time. */
    private static final Duration MIN_EXPIRY_CHECK = Duration.ofSeconds(1);

    private final long waitMillis;
    private final long expiryIntervalMillis;
    private final PipelineListener listener;
    private ProcessorContext<String, InferenceRecord> context;
    private KeyValueStore<String, PairingEntry> pending;
    /** The latest row time seen, bounded by the clock when used. */
    private long latestEventTime;
    private long nextExpiry;

    PairingProcessor(final Duration wait, final PipelineListener listener) {
        this.waitMillis = wait.toMillis();
        this.expiryIntervalMillis = expiryInterval(wait).toMillis();
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, InferenceRecord> context) {
        this.context = context;
        this.pending = context.getStateStore(Names.PAIRING_STORE);
        this.latestEventTime = Math.min(context.currentStreamTimeMs(), context.currentSystemTimeMs());
        this.nextExpiry = latestEventTime + expiryIntervalMillis;
    }

    /**
     * The pass reads every pending entry, so it runs every quarter of the wait of event time, not
     * every second: each entry is read about four times in its life instead of once per second of its
     * wait (at 60 s, 60 times). A lone half is reported at most a quarter of the wait after its wait has passed.
     */
    private void maybeExpire(final long eventTime) {
        latestEventTime = Math.max(latestEventTime, eventTime);
        final long now = Math.min(latestEventTime, context.currentSystemTimeMs());
        if (now >= nextExpiry) {
            expire(now);
            nextExpiry = now + expiryIntervalMillis;
        }
    }

    @Override
    public void process(final Record<String, InferenceRecord> record) {
        final boolean request = REQUEST.equals(kind(record));
        final InferenceRecord row = record.value();
        final String key = row.getRequestId() + '#' + row.getRowIndex();
        final long time = row.getEventTime().toEpochMilli();
        maybeExpire(time);
        PairingEntry entry = pending.get(key);
        if (entry == null) {
            entry = PairingEntry.newBuilder().setRow(row).setFirstSeen(time).build();
        } else if (request ? entry.getHasRequest() : entry.getHasResponse()) {
            listener.duplicate(request ? REQUEST : RESPONSE);
            return;
        }
        if (request) {
            entry.setHasRequest(true);
            entry.setRequestTime(time);
            entry.getRow().setFeatures(row.getFeatures());
            entry.getRow().setEventTime(row.getEventTime());
            if (!entry.getHasResponse()) {
                entry.getRow().setUnit(row.getUnit());
            }
        } else {
            entry.setHasResponse(true);
            entry.setResponseTime(time);
            entry.getRow().setPredictions(row.getPredictions());
            entry.getRow().setError(row.getError());
            entry.getRow().setModelVersion(row.getModelVersion());
            // The unit that answered: Seldon Core v2 names the model version (the variant) in the response only.
            entry.getRow().setUnit(row.getUnit());
        }
        if (entry.getHasRequest() && entry.getHasResponse()) {
            entry.setPaired(true);
            final InferenceRecord joined = entry.getRow();
            joined.setLatencyMillis((double) (entry.getResponseTime() - entry.getRequestTime()));
            joined.setPairing(PAIRED);
            listener.paired();
            context.forward(new Record<>(joined.getRequestId(), joined, entry.getRequestTime()));
            // Kept only to recognise a duplicate until the wait has passed: the values are not needed any more.
            joined.setFeatures(List.of());
            joined.setPredictions(List.of());
        }
        pending.put(key, entry);
    }

    private void expire(final long eventTime) {
        final List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, PairingEntry> entries = pending.all()) {
            while (entries.hasNext()) {
                final KeyValue<String, PairingEntry> entry = entries.next();
                if (entry.value.getFirstSeen() + waitMillis <= eventTime) {
                    expired.add(entry.key);
                    emitAlone(entry.value);
                }
            }
        }
        expired.forEach(pending::delete);
        listener.pairingPending(context.taskId().toString(), pending.approximateNumEntries());
    }

    private void emitAlone(final PairingEntry entry) {
        if (entry.getPaired()) {
            return;
        }
        final InferenceRecord row = entry.getRow();
        row.setPairing(entry.getHasRequest() ? RESPONSE_MISSING : REQUEST_MISSING);
        listener.unpaired(entry.getHasRequest() ? REQUEST : RESPONSE);
        context.forward(new Record<>(row.getRequestId(), row, entry.getFirstSeen()));
    }

    static Duration expiryInterval(final Duration wait) {
        final Duration quarter = wait.dividedBy(4);
        return quarter.compareTo(MIN_EXPIRY_CHECK) < 0 ? MIN_EXPIRY_CHECK : quarter;
    }

    private static String kind(final Record<String, InferenceRecord> record) {
        final Header header = record.headers().lastHeader(KIND_HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
