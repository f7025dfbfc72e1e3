package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.monitml.avro.PredictionStats;
import io.monitml.demo.KafkaCloudEventSink;
import io.monitml.demo.SeldonEvent;

/**
 * Event times are checked before use and never move stream time past the clock: the logic, in the
 * driver with a known wall clock. That one wrong clock leaves healthy windows alone on a real
 * broker, with stream time across many records, is {@code HostileTrafficIT}'s to show.
 */
class EventTimeTopologyTest extends TopologyTestSupport {

    /** Healthy traffic's present: a minute before the driver's wall clock. */
    private static final Instant NOW = TopologyFixture.WALL_CLOCK.minusSeconds(60);

    @Test
    void shouldDeadLetterEventTimesFarAheadOrBefore1970AndKeepTheHealthyWindow() {
        fixture.response("v1", NOW, 10.0);
        for (Duration ahead : List.of(Duration.ofMinutes(55), Duration.ofHours(2), Duration.ofDays(365 * 970L))) {
            fixture.pipe(withTimes("v1", NOW.plus(ahead), NOW));
        }
        fixture.pipe(withTimes("v1", Instant.parse("1969-12-31T23:59:59Z"), NOW));
        fixture.response("v1", NOW.plusSeconds(1), 20.0);
        fixture.flush();
        closeWindowOf(NOW);

        assertThat(fixture.listener.deadLetterReasons).containsExactly("future-time", "future-time", "future-time", "bad-time");
        assertThat(fixture.listener.late).as("no healthy record is late").isEmpty();
        final PredictionStats window = fixture.stats.readValue();
        assertThat(window.getCount()).isEqualTo(2);
        assertThat(window.getMax()).isEqualTo(20.0);
    }

    @Test
    void shouldDeadLetterARecordWhoseOwnTimestampIsFarAheadOfTheClock() {
        // The v1 executor's direct Kafka logger sends no time: a pod with a wrong clock stamps the record itself.
        fixture.pipe(stampedWithoutTime(NOW.plus(Duration.ofHours(2))));
        fixture.response("v1", NOW, 10.0);
        fixture.flush();
        closeWindowOf(NOW);

        assertThat(fixture.listener.deadLetterReasons).containsExactly("future-time");
        assertThat(fixture.stats.readValue().getCount()).isEqualTo(1);
    }

    @Test
    void shouldHoldAWindowThatStartsAheadOfTheClockSoThatItClosesNoWindowOfAnotherUnit() {
        final Instant clock = TopologyFixture.WALL_CLOCK;
        // 50 s ahead: within the allowed minute of skew, so it counts, in a window that has not begun.
        fixture.send(SeldonEvent.RESPONSE_TYPE, "other", "v1", clock.plusSeconds(50),
            "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[1.0]]}}");
        fixture.response("v1", clock.minusSeconds(1), 10.0);
        fixture.flush();
        fixture.response("v1", clock.plusSeconds(1), 20.0);
        fixture.flush();

        assertThat(fixture.stats.readValuesToList()).as("the healthy unit's window is still open").isEmpty();
        assertThat(fixture.listener.late).isEmpty();
    }

    @Test
    void shouldNotExpireAPendingRequestWhenARecordStampedByAWrongClockArrives() {
        final String request = "{\"data\":{\"names\":[\"rm\"],\"ndarray\":[[6.5]]}}";
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", NOW, request, "waiting");
        // The direct Kafka logger of a pod whose clock is two hours ahead: dead-lettered, and it must move no clock.
        fixture.pipe(stampedWithoutTime(NOW.plus(Duration.ofHours(2))));
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", NOW.plusSeconds(1), "{\"data\":{\"ndarray\":[[1.0]]}}", "waiting");

        assertThat(fixture.inferences.readValuesToList()).singleElement()
            .satisfies(row -> assertThat(row.getPairing()).isEqualTo("paired"));
        assertThat(fixture.listener.unpaired).isEmpty();
    }

    /** A response without ce_time, as the direct logger writes it, in a record stamped {@code recordTime}. */
    private static ProducerRecord<byte[], byte[]> stampedWithoutTime(final Instant recordTime) {
        final ProducerRecord<byte[], byte[]> stamped = withTimes("v1", recordTime, recordTime);
        final RecordHeaders headers = new RecordHeaders();
        stamped.headers().forEach(header -> {
            if (!header.key().equals("ce_time")) {
                headers.add(header);
            }
        });
        return new ProducerRecord<>(stamped.topic(), null, stamped.timestamp(), stamped.key(), stamped.value(), headers);
    }

    /** A response whose ce_time is {@code eventTime} in a record stamped {@code recordTime}. */
    private static ProducerRecord<byte[], byte[]> withTimes(final String variant, final Instant eventTime, final Instant recordTime) {
        final SeldonEvent event = new SeldonEvent(SeldonEvent.RESPONSE_TYPE, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
            "seldon", "housing", variant, "classifier", recordTime, SeldonEvent.JSON,
            "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[1e9]]}}".getBytes(StandardCharsets.UTF_8));
        final ProducerRecord<byte[], byte[]> record = KafkaCloudEventSink.toRecord(TopologyFixture.TOPICS.raw(), event);
        final RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(header -> headers.add(header.key(), header.key().equals("ce_time")
            ? eventTime.toString().getBytes(StandardCharsets.UTF_8) : header.value()));
        return new ProducerRecord<>(record.topic(), null, record.timestamp(), record.key(), record.value(), headers);
    }

    private void closeWindowOf(final Instant time) {
        fixture.response("v1", time.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE).plus(TopologyFixture.WINDOW), 1.0);
        fixture.flush();
    }
}
