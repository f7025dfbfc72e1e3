package io.monitml.ingest;

/**
 * A decoded request or response body: its rows, or the error a failed response reported.
 */
public record DecodedBody(RowBatch rows, String error) {
}
