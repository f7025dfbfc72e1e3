package io.monitml.demo;

/**
 * Kafka header names of a binary-mode CloudEvent as Knative's KafkaSink writes it: each context
 * attribute becomes a header {@code ce_<attribute>}, and the data content type becomes the plain
 * {@code content-type} header. The extension attributes are those the Seldon Core v1 executor sets.
 * Producer and decoder both read the names from here so that they cannot drift apart.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    public static final String REQUEST_ID = "ce_requestid";
    public static final String MODEL_ID = "ce_modelid";
    public static final String INFERENCE_SERVICE_NAME = "ce_inferenceservicename";
    public static final String NAMESPACE = "ce_namespace";
    public static final String ENDPOINT = "ce_endpoint";
    public static final String PROTOCOL = "ce_protocol";

    /** The only CloudEvents version written. */
    public static final String SPEC_VERSION_1_0 = "1.0";

    /** Value of {@link #PROTOCOL} for SeldonMessage payloads (as opposed to {@code tensorflow}). */
    public static final String SELDON_PROTOCOL = "seldon";

    private CloudEventHeaders() {}
}
