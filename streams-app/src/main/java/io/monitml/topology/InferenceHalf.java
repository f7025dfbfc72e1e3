package io.monitml.topology;

import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.Limits;
import io.monitml.ingest.decoded.RowBatch;

/**
 * One side of one inference as the pairing branch carries it, keyed by its request id: whether it is
 * the request, its unit, event time, row count and error, and its cells only when the joined rows
 * are written ({@code monitml.inferences}); latency needs none of them. One record per event, not per
 * row: a batch of 100 rows crosses the repartition once.
 *
 * <p>Bounded whatever the payload, so that a half and a store entry of two halves fit the internal
 * topics: at most {@link #MAX_CELLS} cells (the first rows that fit; later rows get joined rows
 * without values), an error cut to {@link #MAX_ERROR_LENGTH} characters.
 *
 * @param rows   the event's rows; a failed response without a body counts as one
 * @param error  the response's error, cut to {@link #MAX_ERROR_LENGTH} characters
 * @param values the cells (first {@code maxFeatures} columns, texts cut to {@link Limits#MAX_CATEGORY_LENGTH}),
 *               or null when the joined rows are not written
 */
record InferenceHalf(boolean request, String unitKey, long eventTime, int rows, String error, RowBatch values) {

    /** 512 KiB of doubles: thousands of rows of a tabular model. */
    static final int MAX_CELLS = 1 << 16;
    static final int MAX_ERROR_LENGTH = 4096;

    /**
     * The event's half, or null when it has nothing to pair: no request id, or no rows.
     *
     * @param withValues whether to carry the cells, for the joined rows
     */
    static InferenceHalf of(final InferenceEvent event, final boolean withValues, final int maxFeatures) {
        final RowBatch batch = event.rows();
        final int rows = batch == null ? (event.failed() ? 1 : 0) : batch.rows();
        if (event.requestId() == null || rows == 0) {
            return null;
        }
        final String error = event.error() == null || event.error().length() <= MAX_ERROR_LENGTH ? event.error()
            : event.error().substring(0, MAX_ERROR_LENGTH);
        return new InferenceHalf(event.kind() == EventKind.REQUEST, event.unit().key(), event.eventTime(), rows, error,
            withValues && batch != null ? bounded(batch, maxFeatures) : null);
    }

    /** The batch itself when it is within bounds (the usual case), else a copy of its first rows and columns with texts cut. */
    static RowBatch bounded(final RowBatch batch, final int maxFeatures) {
        final int columns = Math.min(batch.columns(), maxFeatures);
        final int rows = Math.min(batch.rows(), Math.max(1, MAX_CELLS / Math.max(1, columns)));
        boolean within = columns == batch.columns() && rows == batch.rows();
        for (int row = 0; within && row < rows; row++) {
            for (int column = 0; within && column < columns; column++) {
                final String text = batch.string(row, column);
                within = text == null || text.length() <= Limits.MAX_CATEGORY_LENGTH;
            }
        }
        if (within) {
            return batch;
        }
        final String[] names = new String[columns];
        final double[] values = new double[rows * columns];
        String[] texts = null;
        for (int column = 0; column < columns; column++) {
            names[column] = batch.name(column);
        }
        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < columns; column++) {
                final int cell = row * columns + column;
                values[cell] = batch.value(row, column);
                final String text = batch.string(row, column);
                if (text != null) {
                    if (texts == null) {
                        texts = new String[rows * columns];
                    }
                    texts[cell] = text.length() <= Limits.MAX_CATEGORY_LENGTH ? text : text.substring(0, Limits.MAX_CATEGORY_LENGTH);
                }
            }
        }
        return RowBatch.of(names, values, texts, rows, columns);
    }

    String kind() {
        return request ? PipelineListener.REQUEST : PipelineListener.RESPONSE;
    }
}
