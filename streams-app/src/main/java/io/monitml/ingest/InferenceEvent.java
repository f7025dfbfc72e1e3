package io.monitml.ingest;

import io.monitml.ingest.decoded.RowBatch;

/**
 * One decoded logger event: a request (features) or a response (predictions) of one unit.
 *
 * @param eventTime  epoch millis when the event happened (Ce-Time, else the record timestamp)
 * @param error      the error a failed response reported, or null
 * @param format     the body's wire format (seldon-json, tensorflow-json, v2-json, seldon-protobuf, v2-protobuf), null when not decoded
 */
public record InferenceEvent(EventKind kind, Unit unit, String requestId, long eventTime, RowBatch rows, String error, String format) {

    public boolean failed() {
        return error != null;
    }
}
