package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.monitml.ingest.decoded.InvalidRecordException;

class SeldonEventReaderTest {

    private static final byte[] REQUEST_BODY = "{\"data\": {\"ndarray\":[[1.0, 2.0, 5.0]]}}".getBytes(StandardCharsets.UTF_8);

    private final SeldonEventReader reader = new SeldonEventReader();

    private static Headers headers(final String prefix) {
        final Headers headers = new RecordHeaders();
        add(headers, prefix + "type", "io.seldon.serving.inference.request");
        add(headers, prefix + "requestid", "33fb419e-8d6b-44e0-a084-8bd4bd4dbf7b");
        add(headers, prefix + "inferenceservicename", "model-logs");
        add(headers, prefix + "endpoint", "logging");
        add(headers, prefix + "modelid", "classifier");
        add(headers, prefix + "namespace", "seldon");
        add(headers, "content-type", "application/json");
        return headers;
    }

    private static void add(final Headers headers, final String key, final String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadABinaryModeKafkaCloudEvent() {
        final Headers headers = headers("ce_");
        add(headers, "ce_time", "2020-11-06T09:35:09.171644169Z");

        final InferenceEvent event = reader.read(headers, REQUEST_BODY, 0L);

        assertThat(event.kind()).isEqualTo(EventKind.REQUEST);
        assertThat(event.unit()).isEqualTo(new Unit("seldon", "model-logs", "logging", "classifier"));
        assertThat(event.requestId()).isEqualTo("33fb419e-8d6b-44e0-a084-8bd4bd4dbf7b");
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2020-11-06T09:35:09.171Z").toEpochMilli());
        assertThat(event.rows().columns()).isEqualTo(3);
        assertThat(event.format()).isEqualTo("seldon-json");
    }

    @Test
    void shouldReadTheDirectKafkaLoggersBareHeadersWithTheRecordTimestampAsEventTime() {
        final InferenceEvent event = reader.read(headers(""), REQUEST_BODY, 1_700_000_000_000L);

        assertThat(event.unit().variant()).isEqualTo("logging");
        assertThat(event.eventTime()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void shouldAcceptHttpSpellingAndOffsetTimes() {
        final Headers headers = headers("Ce-");
        add(headers, "Ce-Time", "2020-11-06T10:35:09+01:00");

        assertThat(reader.read(headers, REQUEST_BODY, 0L).eventTime())
            .isEqualTo(Instant.parse("2020-11-06T09:35:09Z").toEpochMilli());
    }

    @Test
    void shouldPassOtherEventTypesThroughUndecoded() {
        final Headers headers = headers("ce_");
        headers.remove("ce_type");
        add(headers, "ce_type", "io.seldon.serving.feedback");

        final InferenceEvent event = reader.read(headers, "not json".getBytes(StandardCharsets.UTF_8), 5L);

        assertThat(event.kind()).isEqualTo(EventKind.OTHER);
        assertThat(event.rows()).isNull();
    }

    @Test
    void shouldNameWhatIsMissing() {
        final Headers noType = headers("ce_");
        noType.remove("ce_type");
        final Headers noRequestId = headers("ce_");
        noRequestId.remove("ce_requestid");
        final Headers noDeployment = headers("ce_");
        noDeployment.remove("ce_inferenceservicename");
        final Headers badTime = headers("ce_");
        add(badTime, "ce_time", "yesterday");
        final Headers protobuf = headers("ce_");
        protobuf.remove("content-type");
        add(protobuf, "content-type", "text/csv");

        assertThatThrownBy(() -> reader.read(noType, REQUEST_BODY, 0L)).hasMessageContaining("no CloudEvents type")
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("missing-type");
        assertThatThrownBy(() -> reader.read(noRequestId, REQUEST_BODY, 0L))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("missing-request-id");
        assertThatThrownBy(() -> reader.read(noDeployment, REQUEST_BODY, 0L))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("missing-deployment");
        assertThatThrownBy(() -> reader.read(badTime, REQUEST_BODY, 0L))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("bad-time");
        assertThatThrownBy(() -> reader.read(protobuf, REQUEST_BODY, 0L))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("unsupported-content-type");
    }

    // Found by RecordDecoderFuzzTest: java.time reads years up to a billion, but past about 292
    // million their milliseconds overflow a long, and toEpochMilli threw ArithmeticException, which
    // the pipeline could only dead-letter as an internal error.
    @Test
    void shouldRejectAnEventTimePastWhatAMillisecondTimestampHoldsAsBadTimeInsteadOfOverflowing() {
        for (String time : new String[] {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59+18:00"}) {
            final Headers headers = headers("ce_");
            add(headers, "ce_time", time);

            assertThatThrownBy(() -> reader.read(headers, REQUEST_BODY, 0L)).as(time).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("out of the range").extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("bad-time");
        }
    }
}
