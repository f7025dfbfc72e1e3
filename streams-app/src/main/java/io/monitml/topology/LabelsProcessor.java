package io.monitml.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.monitml.ingest.EventKind;
import io.monitml.ingest.Label;
import io.monitml.ingest.LabelJson;
import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * Reads the labels topic ({@link LabelJson}): a label that does not fit the schema, or whose time is
 * further ahead of the clock than the allowed skew, throws, and the {@link DeadLetterHandler} sends
 * it to the dead-letter topic with the reason. A label without a time is stamped with its record's.
 * A label already in the task of its request id ({@link Placement}) is marked
 * {@link NormalizeProcessor#KEYED_BY_REQUEST_ID}: it meets its prediction where it is.
 */
final class LabelsProcessor implements Processor<byte[], byte[], String, JoinInput> {

    private final long maxSkewMillis;
    private final int inPlacePartitions;
    private final PipelineListener listener;
    private ProcessorContext<String, JoinInput> context;

    /** @param inPlacePartitions the inputs' partitions when a label may meet its prediction in place, else 0 */
    LabelsProcessor(final long maxSkewMillis, final int inPlacePartitions, final PipelineListener listener) {
        this.maxSkewMillis = maxSkewMillis;
        this.inPlacePartitions = inPlacePartitions;
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, JoinInput> processorContext) {
        this.context = processorContext;
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final String source = context.recordMetadata().map(m -> m.topic()).orElse("unknown");
        listener.recordIn(source);
        final long now = context.currentSystemTimeMs();
        final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        final Label label = LabelJson.read(record.value(), key, Math.min(Math.max(0L, record.timestamp()), now));
        if (label.timeMillis() > now + maxSkewMillis) {
            throw new InvalidRecordException("bad-time", "The label's time is more than " + maxSkewMillis + " ms ahead of the clock");
        }
        listener.decoded(source, "label", EventKind.LABEL, 0);
        // Keyed by its id, and in the partition Kafka's partitioner gives that id.
        final boolean placed = record.key() != null && Placement.inItsPartition(context.recordMetadata(), record.key(), inPlacePartitions);
        context.forward(new Record<>(label.requestId(), new JoinInput.Truth(label, record.value()), Math.min(label.timeMillis(), now),
            NormalizeProcessor.markKeyedBy(placed, record.key(), label.requestId())));
    }
}
