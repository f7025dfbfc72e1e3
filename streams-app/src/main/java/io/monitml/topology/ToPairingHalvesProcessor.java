package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.monitml.ingest.InferenceEvent;

/**
 * The pairing branch's entry: one half per event, keyed by request id. One instance takes the events
 * whose record was already keyed by the request id ({@link NormalizeProcessor#KEYED_BY_REQUEST_ID}):
 * both halves of such an inference are in the same partition, so they pair in this task without a
 * repartition. The other takes every other event (the v1 executor's direct Kafka logger writes no key),
 * for the repartition by request id.
 */
final class ToPairingHalvesProcessor implements Processor<String, InferenceEvent, String, InferenceHalf> {

    private final boolean keyedByRequestId;
    private final boolean withValues;
    private final int maxFeatures;
    private ProcessorContext<String, InferenceHalf> context;

    /**
     * @param keyedByRequestId whether this instance takes the events already keyed by request id, or the others
     * @param withValues       whether the halves carry their cells, for the joined rows
     */
    ToPairingHalvesProcessor(final boolean keyedByRequestId, final boolean withValues, final int maxFeatures) {
        this.keyedByRequestId = keyedByRequestId;
        this.withValues = withValues;
        this.maxFeatures = maxFeatures;
    }

    @Override
    public void init(final ProcessorContext<String, InferenceHalf> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<String, InferenceEvent> record) {
        if (NormalizeProcessor.keyedByRequestId(record) != keyedByRequestId) {
            return;
        }
        final InferenceHalf half = InferenceHalf.of(record.value(), withValues, maxFeatures);
        if (half == null) {
            return;
        }
        // Already bounded by the clock (NormalizeProcessor): the repartition's stream time never runs ahead of it.
        context.forward(new Record<>(record.value().requestId(), half, record.timestamp()));
    }
}
