package io.monitml.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.monitml.avro.InferenceRecord;
import io.monitml.avro.NamedValue;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.Limits;
import io.monitml.ingest.RowBatch;

/**
 * Splits a decoded event into one {@link InferenceRecord} per row: features of a request, predictions
 * of a response. A row keeps its first {@code maxFeatures} columns, and text values cut to
 * {@link Limits#MAX_CATEGORY_LENGTH} characters, so that a record's size is bounded whatever the payload.
 */
final class InferenceRows {

    private InferenceRows() {
    }

    static List<InferenceRecord> of(final InferenceEvent event, final int maxFeatures) {
        final RowBatch rows = event.rows();
        final int count = rows == null ? (event.failed() ? 1 : 0) : rows.rows();
        final List<InferenceRecord> records = new ArrayList<>(count);
        for (int row = 0; row < count; row++) {
            final List<NamedValue> values = rows == null ? List.of() : values(rows, row, maxFeatures);
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

    private static List<NamedValue> values(final RowBatch rows, final int row, final int maxFeatures) {
        final int columns = Math.min(rows.columns(), maxFeatures);
        final List<NamedValue> values = new ArrayList<>(columns);
        for (int column = 0; column < columns; column++) {
            final String cell = rows.string(row, column);
            final String text = cell == null || cell.length() <= Limits.MAX_CATEGORY_LENGTH ? cell : cell.substring(0, Limits.MAX_CATEGORY_LENGTH);
            final double number = rows.value(row, column);
            final Object value = text != null ? text : Double.isNaN(number) ? null : (Object) number;
            values.add(new NamedValue(rows.name(column), value));
        }
        return values;
    }
}
