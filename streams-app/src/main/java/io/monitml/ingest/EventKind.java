package io.monitml.ingest;

/** What a Seldon logger event carries. */
public enum EventKind {
    REQUEST,
    RESPONSE,
    /** Feedback, outlier and drift events of Seldon's own detectors: counted, not decoded. */
    OTHER,
    /** A label, the truth about a prediction, from the labels topic: never a logger event. */
    LABEL;

    /** Maps a CloudEvents type: Seldon's {@code io.seldon.serving.inference.*} and KServe's {@code org.kubeflow.serving.inference.*}. */
    public static EventKind fromCloudEventType(final String type) {
        if (type.endsWith(".inference.request")) {
            return REQUEST;
        }
        if (type.endsWith(".inference.response")) {
            return RESPONSE;
        }
        return OTHER;
    }
}
