package io.monitml.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.monitml.demo.CloudEventHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Lays an event out as a binary-mode Kafka CloudEvent, the same layout as Knative's KafkaSink and
 * MonitML's demo producer: data as the value, {@code ce_<attribute>} headers, {@code content-type}.
 */
final class CloudEventRecords {

    private static final String HEADER_PREFIX = "ce_";

    /** The demo producer's order, so that records from both sources look alike; other attributes follow by name. */
    private static final List<String> KNOWN_ORDER = List.of(
        "specversion", "id", "type", "source", "time",
        "requestid", "modelid", "inferenceservicename", "namespace", "endpoint", "protocol");

    private CloudEventRecords() {
    }

    static ProducerRecord<byte[], byte[]> toRecord(final String topic, final CloudEvent event, final Clock clock) {
        final Map<String, String> rest = new TreeMap<>(event.attributes());
        final List<Header> headers = new ArrayList<>(rest.size() + 1);
        for (String name : KNOWN_ORDER) {
            final String value = rest.remove(name);
            if (value != null) {
                headers.add(header(HEADER_PREFIX + name, value));
            }
        }
        rest.forEach((name, value) -> headers.add(header(HEADER_PREFIX + name, value)));
        if (event.contentType() != null) {
            headers.add(header(CloudEventHeaders.CONTENT_TYPE, event.contentType()));
        }
        return new ProducerRecord<>(topic, null, timestamp(event.attributes().get(CloudEvent.TIME), clock),
            event.requestId().getBytes(StandardCharsets.UTF_8), event.data(), headers);
    }

    /** The event time when it is RFC 3339, else the time of receipt: a bad clock string must not lose the event. */
    static long timestamp(final String time, final Clock clock) {
        if (time != null) {
            final long millis = parse(time);
            // Kafka refuses negative timestamps, so a time before 1970 counts as unparseable.
            if (millis >= 0) {
                return millis;
            }
        }
        return clock.millis();
    }

    private static long parse(final String time) {
        try {
            return Instant.parse(time).toEpochMilli();
        } catch (ArithmeticException outOfRange) {
            return -1;
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(time).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                return -1;
            }
        }
    }

    private static Header header(final String name, final String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
