package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.monitml.config.Defaults;
import io.monitml.avro.DriftReport;
import io.monitml.avro.InferenceRecord;
import io.monitml.demo.SeldonEvent;
import io.monitml.ingest.Limits;

/**
 * The limits through the whole topology, in the driver: what a wide request becomes, and a result
 * too large for its topic. Their effect on healthy traffic over a real broker is {@code HostileTrafficIT}'s.
 */
class LimitsTopologyTest extends TopologyTestSupport {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final int SMALL_RECORDS = 64 << 10;

    @Override
    Limits limits() {
        return Defaults.limits().withMaxRecordBytes(SMALL_RECORDS);
    }

    @Test
    void shouldMonitorTheFirstFeaturesOfAnImageSizedTensorAndSayHowManyItLeftOut() {
        final int columns = 150_528;
        final StringBuilder values = new StringBuilder();
        for (int i = 0; i < columns; i++) {
            values.append(i == 0 ? "" : ",").append(i % 256);
        }
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plusSeconds(1),
            "{\"data\":{\"tensor\":{\"shape\":[1," + columns + "],\"values\":[" + values + "]}}}", "wide-1");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusSeconds(1), "{\"data\":{\"ndarray\":[[1.0]]}}", "wide-1");
        fixture.flush();
        fixture.request("v1", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE).plusSeconds(1));
        fixture.flush();

        final DriftReport report = fixture.drift.readValue();
        assertThat(report.getDroppedFeatures()).isEqualTo(columns - Limits.DEFAULT_MAX_FEATURES);
        assertThat(report.getDroppedFeatureNames()).hasSize(10).startsWith("f256");
        assertThat(fixture.listener.featuresDropped).isEqualTo(columns - Limits.DEFAULT_MAX_FEATURES);
        fixture.flush();
        final List<InferenceRecord> rows = fixture.inferences.readValuesToList();
        assertThat(rows).filteredOn(row -> row.getRequestId().equals("wide-1")).singleElement()
            .satisfies(row -> assertThat(row.getFeatures()).hasSize(Limits.DEFAULT_MAX_FEATURES));
        assertThat(fixture.listener.deadLetterReasons).isEmpty();
    }

    @Test
    void shouldDropAResultLargerThanItsTopicTakesCountItAndGoOn() {
        final StringBuilder names = new StringBuilder();
        final StringBuilder row = new StringBuilder();
        for (int i = 0; i < Limits.DEFAULT_MAX_FEATURES; i++) {
            names.append(i == 0 ? "" : ",").append('"').append(String.format("%0250d", i)).append('"');
            row.append(i == 0 ? "" : ",").append(i);
        }
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plusSeconds(1),
            "{\"data\":{\"names\":[" + names + "],\"ndarray\":[[" + row + "]]}}", "too-large");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusSeconds(1), "{\"data\":{\"ndarray\":[[1.0]]}}", "too-large");
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plusSeconds(2), "{\"data\":{\"ndarray\":[[1.0]]}}", "small");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusSeconds(2), "{\"data\":{\"ndarray\":[[1.0]]}}", "small");
        fixture.flush();

        assertThat(fixture.inferences.readValuesToList()).extracting(InferenceRecord::getRequestId).containsExactly("small");
        assertThat(fixture.listener.dropped).containsExactly(TopologyFixture.TOPICS.inferences() + ":too-large");
    }

    @Test
    void shouldCutADeadLetterToWhatItsTopicTakesAndSayHowLongItWas() {
        final String malformed = "{\"data\": {\"ndarray\": [[" + "1,".repeat(50_000);
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plusSeconds(1), malformed, "too-long");

        final org.apache.kafka.streams.test.TestRecord<byte[], byte[]> deadLetter = fixture.deadLetters.readRecord();
        final org.apache.kafka.common.header.Header truncated = deadLetter.headers().lastHeader(DeadLetterHandler.TRUNCATED_HEADER);
        assertThat(truncated).isNotNull();
        assertThat(new String(truncated.value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(String.valueOf(malformed.length()));
        long headers = 0;
        for (org.apache.kafka.common.header.Header header : deadLetter.headers()) {
            headers += header.key().length() + header.value().length;
        }
        assertThat(deadLetter.value().length + deadLetter.key().length + headers).as("the dead letter's bytes").isLessThan(SMALL_RECORDS);
        assertThat(new String(deadLetter.value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
            malformed.substring(0, deadLetter.value().length));
        assertThat(fixture.listener.deadLetterReasons).containsExactly("bad-json");
    }
}
