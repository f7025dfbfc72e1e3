package io.monitml.ingest.protobuf;

import io.monitml.ingest.decoded.RowBatch;

/**
 * A decoded Seldon Core v1 SeldonMessage.
 *
 * @param rows  the data as rows and columns, or null when a failed response carried none
 * @param error {@code "<code>: <info>"} when the status reports a failure, else null
 * @param puid  the prediction's unique id from {@code meta.puid}, or null
 */
public record SeldonProtobufMessage(RowBatch rows, String error, String puid) {
}
