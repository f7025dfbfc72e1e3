package io.monitml.ingest.protobuf;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.proto.v2.ModelInferRequest;
import io.monitml.proto.v2.ModelInferResponse;

/**
 * Decodes the Open Inference Protocol messages Seldon Core v2 writes to its Kafka topics
 * ({@code inference.ModelInferRequest} on a model's inputs topic, {@code inference.ModelInferResponse}
 * on its outputs topic), plain or behind the Confluent Schema Registry framing, into rows.
 *
 * <p>Tensors may carry typed contents or raw little-endian bytes; see {@link TensorRows} for how
 * they become columns. NaN stays a missing value; an infinity is refused
 * ({@code non-finite-number}). Thread-safe and stateless.
 */
public final class V2ProtobufDecoder {

    public V2Message decodeRequest(final byte[] value) {
        final int offset = payloadOffset(value);
        final ModelInferRequest request;
        try {
            request = ModelInferRequest.parser().parseFrom(value, offset, value.length - offset);
        } catch (InvalidProtocolBufferException e) {
            throw badProtobuf("ModelInferRequest", e);
        }
        final List<ByteString> raw = raw(request.getRawInputContentsList(), request.getInputsCount(), "input");
        final List<TensorView> tensors = new ArrayList<>(request.getInputsCount());
        for (int i = 0; i < request.getInputsCount(); i++) {
            final ModelInferRequest.InferInputTensor input = request.getInputs(i);
            tensors.add(new TensorView(input.getName(), input.getDatatype(), shape(input),
                input.getContents(), raw == null ? null : raw.get(i)));
        }
        return new V2Message(TensorRows.toRows(tensors, "input"), orNull(request.getModelName()),
            orNull(request.getModelVersion()), orNull(request.getId()), false);
    }

    public V2Message decodeResponse(final byte[] value) {
        final int offset = payloadOffset(value);
        final ModelInferResponse response;
        try {
            response = ModelInferResponse.parser().parseFrom(value, offset, value.length - offset);
        } catch (InvalidProtocolBufferException e) {
            throw badProtobuf("ModelInferResponse", e);
        }
        final List<ByteString> raw = raw(response.getRawOutputContentsList(), response.getOutputsCount(), "output");
        final List<TensorView> tensors = new ArrayList<>(response.getOutputsCount());
        for (int i = 0; i < response.getOutputsCount(); i++) {
            final ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
            tensors.add(new TensorView(output.getName(), output.getDatatype(), shape(output),
                output.getContents(), raw == null ? null : raw.get(i)));
        }
        return new V2Message(TensorRows.toRows(tensors, "output"), orNull(response.getModelName()),
            orNull(response.getModelVersion()), orNull(response.getId()), true);
    }

    private static int payloadOffset(final byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException("empty-body", "The record has no value");
        }
        return ConfluentFraming.payloadOffset(value);
    }

    /** The raw contents, one per tensor, or null when the message uses typed contents. */
    private static List<ByteString> raw(final List<ByteString> raw, final int tensors, final String kind) {
        if (raw.isEmpty()) {
            return null;
        }
        if (raw.size() != tensors) {
            throw new InvalidRecordException("shape-mismatch",
                "The message has " + tensors + " " + kind + " tensors but " + raw.size() + " raw contents; they pair by index");
        }
        return raw;
    }

    // Indexed getters, not getShapeList(): they return primitives.
    private static long[] shape(final ModelInferRequest.InferInputTensor tensor) {
        final long[] shape = new long[tensor.getShapeCount()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = tensor.getShape(i);
        }
        return shape;
    }

    private static long[] shape(final ModelInferResponse.InferOutputTensor tensor) {
        final long[] shape = new long[tensor.getShapeCount()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = tensor.getShape(i);
        }
        return shape;
    }

    private static String orNull(final String value) {
        return value.isEmpty() ? null : value;
    }

    private static InvalidRecordException badProtobuf(final String message, final InvalidProtocolBufferException e) {
        return new InvalidRecordException("bad-protobuf", "The value is not a protobuf " + message + ": " + e.getMessage(), e);
    }
}
