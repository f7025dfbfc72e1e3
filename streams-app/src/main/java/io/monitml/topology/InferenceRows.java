package io.monitml.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.monitml.avro.InferenceRecord;
import io.monitml.avro.ModelUnit;
import io.monitml.avro.NamedValue;
import io.monitml.ingest.decoded.RowBatch;

/**
 * The rows of {@code monitml.inferences} for one paired (or lone) inference: one {@link InferenceRecord}
 * per row, with the request's features and the response's predictions of that row. A row on one side
 * only is marked as missing its other half; the latency is set on the paired rows.
 */
final class InferenceRows {

    private InferenceRows() {
    }

    static List<InferenceRecord> of(final PairedInference inference, final ModelUnit unit) {
        final int count = inference.rows();
        final List<InferenceRecord> records = new ArrayList<>(count);
        final Instant eventTime = Instant.ofEpochMilli(inference.eventTime());
        final Double latency = inference.paired() ? inference.latencyMillis() : null;
        for (int row = 0; row < count; row++) {
            final String pairing = inference.pairing(row);
            records.add(InferenceRecord.newBuilder()
                .setUnit(unit)
                .setRequestId(inference.requestId())
                .setRowIndex(row)
                .setEventTime(eventTime)
                .setFeatures(values(inference.request(), row))
                .setPredictions(values(inference.response(), row))
                .setError(inference.error())
                .setLatencyMillis(PairedInference.PAIRED.equals(pairing) ? latency : null)
                .setPairing(pairing)
                .build());
        }
        return records;
    }

    private static List<NamedValue> values(final InferenceHalf half, final int row) {
        final RowBatch cells = half == null ? null : half.values();
        if (cells == null || row >= cells.rows()) {
            return List.of();
        }
        final List<NamedValue> values = new ArrayList<>(cells.columns());
        for (int column = 0; column < cells.columns(); column++) {
            final String text = cells.string(row, column);
            final double number = cells.value(row, column);
            final Object value = text != null ? text : Double.isNaN(number) ? null : (Object) number;
            values.add(new NamedValue(cells.name(column), value));
        }
        return values;
    }
}
