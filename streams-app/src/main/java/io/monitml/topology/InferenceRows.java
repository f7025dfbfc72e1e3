package io.monitml.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.monitml.avro.InferenceRecord;
import io.monitml.avro.NamedValue;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.RowBatch;

/** Splits a decoded event into one {@link InferenceRecord} per row: features of a request, predictions of a response. */
final class InferenceRows {

    private InferenceRows() {
    }

    static List<InferenceRecord> of(final InferenceEvent event) {
        final RowBatch rows = event.rows();
        final int count = rows == null ? (event.failed() ? 1 : 0) : rows.rows();
        final List<InferenceRecord> records = new ArrayList<>(count);
        for (int row = 0; row < count; row++) {
            final List<NamedValue> values = rows == null ? List.of() : values(rows, row);
            final boolean request = event.kind() == EventKind.REQUEST;
            records.add(InferenceRecord.newBuilder()
                .setUnit(event.unit().toAvro())
                .setRequestId(event.requestId())
                .setRowIndex(row)
                .setEventTime(Instant.ofEpochMilli(event.eventTime()))
                .setFeatures(request ? values : List.of())
                .setPredictions(request ? List.of() : values)
                .setError(event.error())
                .build());
        }
        return records;
    }

    private static List<NamedValue> values(final RowBatch rows, final int row) {
        final List<NamedValue> values = new ArrayList<>(rows.columns());
        for (int column = 0; column < rows.columns(); column++) {
            final String text = rows.string(row, column);
            final double number = rows.value(row, column);
            final Object value = text != null ? text : Double.isNaN(number) ? null : (Object) number;
            values.add(new NamedValue(rows.name(column), value));
        }
        return values;
    }
}
