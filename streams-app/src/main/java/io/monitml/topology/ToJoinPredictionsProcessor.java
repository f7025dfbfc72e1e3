package io.monitml.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.LabelJson;
import io.monitml.ingest.decoded.RowBatch;

/**
 * The label join's entry for predictions: each answered response with a request id becomes one
 * record keyed by that id, with its unit, event time and the first output of each row (as the
 * prediction statistics read them), at most {@link LabelJson#MAX_VECTOR_LENGTH} rows: a label
 * judges no more. Failed responses and responses without a number to judge are not kept. A
 * response already in the task of its request id ({@link Placement}) is marked
 * {@link NormalizeProcessor#KEYED_BY_REQUEST_ID}: it meets its label where it is.
 */
final class ToJoinPredictionsProcessor implements Processor<String, InferenceEvent, String, JoinInput> {

    private final int inPlacePartitions;
    private ProcessorContext<String, JoinInput> context;

    /** @param inPlacePartitions the inputs' partitions when a prediction may meet its label in place, else 0 */
    ToJoinPredictionsProcessor(final int inPlacePartitions) {
        this.inPlacePartitions = inPlacePartitions;
    }

    @Override
    public void init(final ProcessorContext<String, JoinInput> processorContext) {
        this.context = processorContext;
    }

    @Override
    public void process(final Record<String, InferenceEvent> record) {
        final InferenceEvent event = record.value();
        final RowBatch rows = event.rows();
        if (event.kind() != EventKind.RESPONSE || event.failed() || event.requestId() == null || rows == null || rows.columns() == 0
            || rows.rows() == 0) {
            return;
        }
        final double[] values = new double[Math.min(rows.rows(), LabelJson.MAX_VECTOR_LENGTH)];
        boolean any = false;
        for (int row = 0; row < values.length; row++) {
            values[row] = rows.value(row, 0);
            any |= !Double.isNaN(values[row]);
        }
        if (any) {
            final String requestId = event.requestId();
            // Keyed by its id (marked by NormalizeProcessor), and in the partition Kafka's partitioner gives that id.
            final boolean placed = inPlacePartitions > 0 && NormalizeProcessor.keyedByRequestId(record)
                && Placement.inItsPartition(context.recordMetadata(), requestId.getBytes(StandardCharsets.UTF_8), inPlacePartitions);
            context.forward(new Record<>(requestId, new JoinInput.Prediction(record.key(), event.eventTime(), values),
                record.timestamp(), NormalizeProcessor.marked(placed)));
        }
    }
}
