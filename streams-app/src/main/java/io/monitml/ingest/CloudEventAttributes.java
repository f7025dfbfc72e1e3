package io.monitml.ingest;

import java.util.List;
import java.util.Locale;

/**
 * The CloudEvents context attributes of a Seldon request-logger event, by their lowercase names,
 * and how each travels: over HTTP as a {@code Ce-<Name>} header, in a binary-mode Kafka record as
 * a {@code ce_<name>} header (as Knative's KafkaSink writes it), the data's media type as the
 * plain {@code content-type} header. The extension attributes are those the Seldon Core v1
 * executor sets. The ingest endpoint, the record decoder and the demo's producers all take the
 * names from here, so that they cannot drift apart.
 */
public final class CloudEventAttributes {

    public static final String SPEC_VERSION = "specversion";
    public static final String ID = "id";
    public static final String TYPE = "type";
    public static final String SOURCE = "source";
    public static final String TIME = "time";
    public static final String DATA_CONTENT_TYPE = "datacontenttype";

    public static final String REQUEST_ID = "requestid";
    public static final String MODEL_ID = "modelid";
    public static final String INFERENCE_SERVICE_NAME = "inferenceservicename";
    public static final String NAMESPACE = "namespace";
    public static final String ENDPOINT = "endpoint";
    public static final String PROTOCOL = "protocol";

    /** The order in which a record lays them out: the required attributes, then Seldon's. */
    public static final List<String> ORDER = List.of(SPEC_VERSION, ID, TYPE, SOURCE, TIME,
        REQUEST_ID, MODEL_ID, INFERENCE_SERVICE_NAME, NAMESPACE, ENDPOINT, PROTOCOL);

    /** The prefix of an attribute's Kafka header (binary mode). */
    public static final String KAFKA_PREFIX = "ce_";
    /** The prefix of an attribute's HTTP header (binary mode), in lowercase. */
    public static final String HTTP_PREFIX = "ce-";
    /** The header of the data's media type, in Kafka and over HTTP. */
    public static final String CONTENT_TYPE_HEADER = "content-type";

    /** The only CloudEvents version written. */
    public static final String SPEC_VERSION_1_0 = "1.0";
    /** Value of {@link #PROTOCOL} for SeldonMessage payloads (as opposed to {@code tensorflow}). */
    public static final String SELDON_PROTOCOL = "seldon";

    private CloudEventAttributes() {
    }

    /** The attribute's Kafka header: {@code ce_requestid}. */
    public static String kafkaHeader(final String attribute) {
        return KAFKA_PREFIX + attribute;
    }

    /** The attribute's HTTP header as Seldon's executor spells it: {@code Ce-Requestid}. */
    public static String httpHeader(final String attribute) {
        return "Ce-" + attribute.substring(0, 1).toUpperCase(Locale.ROOT) + attribute.substring(1);
    }
}
