package io.monitml.ingest;

/** The JSON protocols a body can speak, told apart by their top-level keys. */
enum BodyProtocol {

    /** Seldon Core v1 SeldonMessage. */
    SELDON,
    /** TensorFlow Serving REST (row format). */
    TENSORFLOW,
    /** Open Inference Protocol, also called KServe V2. */
    OPEN_INFERENCE;

    /** The protocol a top-level key belongs to, or null for a key none of them defines. */
    static BodyProtocol ofKey(final String key) {
        return switch (key) {
            case "data", "jsonData", "strData", "binData", "status", "meta" -> SELDON;
            case "instances", "predictions", "signature_name" -> TENSORFLOW;
            case "inputs", "outputs", "model_name", "model_version", "id", "parameters" -> OPEN_INFERENCE;
            default -> null;
        };
    }

    String label() {
        return switch (this) {
            case SELDON -> "SeldonMessage";
            case TENSORFLOW -> "TensorFlow";
            case OPEN_INFERENCE -> "Open Inference (V2)";
        };
    }

    /** The metric label of bodies of this protocol in JSON. */
    String format() {
        return switch (this) {
            case SELDON -> "seldon-json";
            case TENSORFLOW -> "tensorflow-json";
            case OPEN_INFERENCE -> "v2-json";
        };
    }
}
