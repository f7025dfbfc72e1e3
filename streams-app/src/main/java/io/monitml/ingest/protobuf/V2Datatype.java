package io.monitml.ingest.protobuf;

import io.monitml.ingest.decoded.InvalidRecordException;

/** The tensor datatypes of the Open Inference Protocol, with their raw (little-endian) element width. */
enum V2Datatype {
    BOOL(1),
    UINT8(1),
    UINT16(2),
    UINT32(4),
    UINT64(8),
    INT8(1),
    INT16(2),
    INT32(4),
    INT64(8),
    FP16(2),
    FP32(4),
    FP64(8),
    // Not in the protocol's table, but Triton sends it; bfloat16 is the upper half of a float.
    BF16(2),
    // Variable width: each raw element is a 4-byte little-endian length and that many bytes.
    BYTES(0);

    private final int width;

    V2Datatype(final int width) {
        this.width = width;
    }

    /** Bytes per raw element; 0 for BYTES. */
    int width() {
        return width;
    }

    static V2Datatype parse(final String datatype, final String tensor) {
        // A switch over the spelled names: valueOf would throw on every unknown name, and this also
        // keeps lower-case spellings out, as the protocol's names are upper case.
        return switch (datatype) {
            case "BOOL" -> BOOL;
            case "UINT8" -> UINT8;
            case "UINT16" -> UINT16;
            case "UINT32" -> UINT32;
            case "UINT64" -> UINT64;
            case "INT8" -> INT8;
            case "INT16" -> INT16;
            case "INT32" -> INT32;
            case "INT64" -> INT64;
            case "FP16" -> FP16;
            case "FP32" -> FP32;
            case "FP64" -> FP64;
            case "BF16" -> BF16;
            case "BYTES" -> BYTES;
            default -> throw new InvalidRecordException("unknown-datatype",
                "Tensor \"" + tensor + "\" has datatype \"" + datatype + "\", which the Open Inference Protocol does not define");
        };
    }
}
