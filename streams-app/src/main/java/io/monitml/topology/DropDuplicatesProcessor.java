package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.state.RecentIds;
import io.monitml.state.RecentIdsStore;

/**
 * Lets each inference event through once, before anything counts it: an event is identified by its
 * unit, its side (request or response) and its request id, which a sender that retries a request
 * (after a 503 from ingest whose events were partly written, or after its own timeout) sends again
 * unchanged. Each of a graph's nodes logs its own request and response, under its own unit, so two
 * distinct events never share all three. An event without a request id cannot be told apart from
 * another and always passes.
 *
 * <p>A resent event is recognised within about the span of event time after the first one
 * ({@link RecentIds}: between one and two spans, less under a rate that fills its bound) and when it
 * lands in the same input partition, as it does when its record has the same key (ingest keys every
 * record by its request id). Both survive restarts and rebalances ({@link RecentIdsStore}: the ids of
 * what the last transaction committed). A duplicate is counted by side and dropped.
 *
 * <p>Time here is this stage's own, as in the pairing stage: the latest event time seen, each event
 * vouching for no more than the clock when it came.
 */
final class DropDuplicatesProcessor implements Processor<String, InferenceEvent, String, InferenceEvent> {

    /** About 16 bytes per id held, at most 2 x 2^20 ids (32 MiB) per task. */
    static final int MAX_RECENT_EVENTS = 1 << 20;

    private final PipelineListener listener;
    private ProcessorContext<String, InferenceEvent> context;
    private RecentIdsStore recent;
    private long latestEventTime;

    DropDuplicatesProcessor(final PipelineListener listener) {
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, InferenceEvent> context) {
        this.context = context;
        this.recent = context.getStateStore(Names.RECENT_EVENTS_STORE);
        recent.load();
        latestEventTime = recent.latestEventTime();
    }

    @Override
    public void process(final Record<String, InferenceEvent> record) {
        final InferenceEvent event = record.value();
        if (event.requestId() == null) {
            context.forward(record);
            return;
        }
        latestEventTime = Math.max(latestEventTime, Math.min(event.eventTime(), context.currentSystemTimeMs()));
        recent.latestEventTime(latestEventTime);
        final String side = event.kind() == EventKind.REQUEST ? PipelineListener.REQUEST : PipelineListener.RESPONSE;
        if (recent.addIfNew(RecentIds.hash(record.key(), side, event.requestId()), latestEventTime)) {
            context.forward(record);
        } else {
            listener.duplicate(side);
        }
    }
}
