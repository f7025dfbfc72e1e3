package io.monitml.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import io.monitml.ingest.CloudEventAttributes;

/**
 * Lays an event out as a binary-mode Kafka CloudEvent, the same layout as Knative's KafkaSink and
 * MonitML's demo producer: data as the value, {@code ce_<attribute>} headers, {@code content-type}.
 */
final class CloudEventRecords {

    private CloudEventRecords() {
    }

    /**
     * @param receivedAt the record's timestamp: when the request arrived, by this instance's clock.
     *                   The event's own time travels in {@code ce_time}; it is the sender's clock, and
     *                   the pipeline checks it against this timestamp before using it, so that a
     *                   sender's wrong clock can neither be refused by the broker's timestamp limits
     *                   nor leave the raw topic carrying a time that would move stream time.
     */
    static ProducerRecord<byte[], byte[]> toRecord(final String topic, final CloudEvent event, final long receivedAt) {
        final Map<String, String> rest = new TreeMap<>(event.attributes());
        final List<Header> headers = new ArrayList<>(rest.size() + 1);
        // The demo producer's order, so that records from both sources look alike; other attributes follow by name.
        for (String name : CloudEventAttributes.ORDER) {
            final String value = rest.remove(name);
            if (value != null) {
                headers.add(header(CloudEventAttributes.kafkaHeader(name), value));
            }
        }
        rest.forEach((name, value) -> headers.add(header(CloudEventAttributes.kafkaHeader(name), value)));
        if (event.contentType() != null) {
            headers.add(header(CloudEventAttributes.CONTENT_TYPE_HEADER, event.contentType()));
        }
        return new ProducerRecord<>(topic, null, receivedAt, event.requestId().getBytes(StandardCharsets.UTF_8), event.data(), headers);
    }

    private static Header header(final String name, final String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
