package io.monitml.ingest.protobuf;

import com.google.protobuf.ByteString;

import io.monitml.proto.v2.InferTensorContents;

/**
 * One input or output tensor, whichever message it came from: requests and responses have
 * different generated tensor classes with the same fields.
 *
 * @param raw the tensor's entry of {@code raw_input_contents}/{@code raw_output_contents}, or null
 *            when the message carries typed contents
 */
record TensorView(String name, String datatype, long[] shape, InferTensorContents contents, ByteString raw) {
}
