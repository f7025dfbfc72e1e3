package io.monitml.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

import io.monitml.ingest.CloudEventAttributes;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.Unit;

/**
 * What one ingest request asks to write, parsed and validated as a whole before anything of it is
 * written: the records of its inference events, and the types of its written and ignored events
 * (for the counters). The mode comes from {@code Content-Type}: structured, batch, or binary.
 */
record IngestBatch(List<ProducerRecord<byte[], byte[]>> records, List<String> writtenTypes, List<String> ignoredTypes) {

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";

    /** The attributes that name the unit, and the part of it each names. */
    private static final Map<String, String> IDENTITY = Map.of(CloudEventAttributes.NAMESPACE, "namespace",
        CloudEventAttributes.INFERENCE_SERVICE_NAME, "deployment", CloudEventAttributes.ENDPOINT, "variant", CloudEventAttributes.MODEL_ID, "model");

    /**
     * @param receivedAt the records' timestamp: when the request was received
     * @throws IngestRejection what is wrong with the body or one of its events (in a batch, naming its index)
     */
    static IngestBatch read(final HttpFields headers, final byte[] body, final String topic, final long receivedAt) throws IngestRejection {
        final String contentType = headers.get(HttpHeader.CONTENT_TYPE);
        final String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        final List<CloudEvent> events;
        final Naming naming;
        if (mediaType.equals(STRUCTURED)) {
            events = List.of(CloudEventJson.readEvent(body));
            naming = Naming.ATTRIBUTE;
        } else if (mediaType.equals(BATCH)) {
            events = CloudEventJson.readBatch(body);
            naming = Naming.ATTRIBUTE;
        } else {
            events = List.of(BinaryCloudEvent.read(headers, body));
            naming = Naming.HEADER;
        }
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        final List<String> writtenTypes = new ArrayList<>(events.size());
        final List<String> ignoredTypes = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            final CloudEvent event = events.get(i);
            try {
                if (!isInference(event, naming)) {
                    ignoredTypes.add(event.type());
                    continue;
                }
            } catch (IngestRejection e) {
                throw mediaType.equals(BATCH) ? e.inEvent(i) : e;
            }
            records.add(CloudEventRecords.toRecord(topic, event, receivedAt));
            writtenTypes.add(event.type());
        }
        return new IngestBatch(records, writtenTypes, ignoredTypes);
    }

    /** Whether the event is a valid inference to write; other types need no request id. */
    private static boolean isInference(final CloudEvent event, final Naming naming) throws IngestRejection {
        if (isBlank(event.type())) {
            throw new IngestRejection(400, IngestListener.Reason.MISSING_TYPE, "missing " + naming.name(CloudEventAttributes.TYPE));
        }
        if (EventKind.fromCloudEventType(event.type()) == EventKind.OTHER) {
            return false;
        }
        if (isBlank(event.requestId())) {
            throw new IngestRejection(400, IngestListener.Reason.MISSING_REQUEST_ID,
                "missing " + naming.name(CloudEventAttributes.REQUEST_ID) + " (a " + event.type() + " event needs one to be paired)");
        }
        for (final Map.Entry<String, String> part : IDENTITY.entrySet()) {
            final String problem = Unit.problem(part.getValue(), event.attributes().get(part.getKey()));
            if (problem != null) {
                throw new IngestRejection(400, IngestListener.Reason.BAD_IDENTITY, naming.name(part.getKey()) + ": " + problem);
            }
        }
        return true;
    }

    private static boolean isBlank(final String value) {
        return value == null || value.isBlank();
    }

    /** How a missing attribute is named to the client: binary mode's header or the JSON member. */
    private enum Naming {
        HEADER,
        ATTRIBUTE;

        String name(final String attribute) {
            return this == HEADER ? CloudEventAttributes.httpHeader(attribute) + " header" : attribute + " attribute";
        }
    }
}
