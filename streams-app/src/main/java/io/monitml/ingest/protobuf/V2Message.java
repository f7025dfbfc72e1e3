package io.monitml.ingest.protobuf;

import io.monitml.ingest.decoded.RowBatch;

/**
 * A decoded Open Inference Protocol (V2) request or response.
 *
 * @param rows         the tensors as rows and columns
 * @param modelName    the model the message names, or null when it names none
 * @param modelVersion the model version, or null
 * @param id           the inference id, or null
 * @param response     whether it was a ModelInferResponse
 */
public record V2Message(RowBatch rows, String modelName, String modelVersion, String id, boolean response) {
}
