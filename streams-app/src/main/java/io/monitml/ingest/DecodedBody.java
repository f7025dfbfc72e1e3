package io.monitml.ingest;

import io.monitml.ingest.decoded.RowBatch;

/**
 * A decoded request or response body: its rows, or the error a failed response reported, and
 * what the body said about itself (an Open Inference Protocol body names its model, version and
 * request id; the other protocols leave these null).
 *
 * @param rows         the rows, or null when the body only reports an error
 * @param error        the error a failed response reported, or null
 * @param modelName    {@code model_name} from the body, or null
 * @param modelVersion {@code model_version} from the body, or null
 * @param id           the request {@code id} from the body, or null
 */
public record DecodedBody(RowBatch rows, String error, String modelName, String modelVersion, String id, String format) {

    /** A body that says nothing about its model. */
    public DecodedBody(final RowBatch rows, final String error) {
        this(rows, error, null, null, null, null);
    }

    public DecodedBody(final RowBatch rows, final String error, final String modelName, final String modelVersion, final String id) {
        this(rows, error, modelName, modelVersion, id, null);
    }

    /** The same body, labelled with its wire format (a metric label: seldon-json, v2-protobuf, ...). */
    public DecodedBody withFormat(final String bodyFormat) {
        return new DecodedBody(rows, error, modelName, modelVersion, id, bodyFormat);
    }
}
