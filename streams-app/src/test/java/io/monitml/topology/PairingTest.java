package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.monitml.avro.InferenceRecord;
import io.monitml.avro.NamedValue;
import io.monitml.avro.PredictionStats;
import io.monitml.demo.SeldonEvent;

class PairingTest extends TopologyTestSupport {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String REQUEST_2_ROWS = "{\"data\":{\"names\":[\"rm\",\"lstat\"],\"ndarray\":[[6.5,4.98],[5.9,9.14]]}}";
    private static final String RESPONSE_2_ROWS = "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[24000.0],[21600.0]]},\"meta\":{}}";

    @Test
    void shouldJoinEachRequestRowWithItsResponseRowAndMeasureLatency() {
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0, REQUEST_2_ROWS, "req-1");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusMillis(120), RESPONSE_2_ROWS, "req-1");

        final List<InferenceRecord> rows = fixture.inferences.readValuesToList();

        assertThat(rows).hasSize(2);
        assertThat(rows).extracting(InferenceRecord::getRowIndex).containsExactlyInAnyOrder(0, 1);
        final InferenceRecord second = rows.stream().filter(r -> r.getRowIndex() == 1).findFirst().orElseThrow();
        assertThat(second.getRequestId()).isEqualTo("req-1");
        assertThat(second.getFeatures()).containsExactly(new NamedValue("rm", 5.9), new NamedValue("lstat", 9.14));
        assertThat(second.getPredictions()).containsExactly(new NamedValue("price", 21600.0));
        assertThat(second.getLatencyMillis()).isEqualTo(120.0);
        assertThat(second.getPairing()).isEqualTo("paired");
        assertThat(second.getEventTime()).isEqualTo(T0);
        assertThat(second.getUnit().getVariant()).isEqualTo("v1");
        assertThat(fixture.listener.paired).isEqualTo(2);
    }

    @Test
    void shouldReportLatencyQuantilesOfThePairedInferencesOnceEachInTheWindowsStatistics() {
        // Latencies 1..100 ms, two rows per inference: the quantiles are those of 100 values, not 200.
        for (int latency = 1; latency <= 100; latency++) {
            final Instant requested = T0.plusMillis(latency * 50L);
            fixture.send(SeldonEvent.REQUEST_TYPE, "v1", requested, REQUEST_2_ROWS, "lat-" + latency);
            fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", requested.plusMillis(latency), RESPONSE_2_ROWS, "lat-" + latency);
            if (latency % 40 == 0) {
                fixture.flush();
            }
        }
        // A request alone has no latency and must not count.
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plusSeconds(6), REQUEST_2_ROWS, "alone");
        fixture.flush();
        fixture.response("v1", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE), 1.0);
        fixture.flush();

        final PredictionStats v1 = fixture.stats.readValue();
        assertThat(v1.getWindowStart()).isEqualTo(T0);
        assertThat(v1.getCount()).isEqualTo(200);
        assertThat(v1.getLatencyP50Millis()).isEqualTo(50.0);
        assertThat(v1.getLatencyP90Millis()).isEqualTo(90.0);
        assertThat(v1.getLatencyP99Millis()).isEqualTo(99.0);
    }

    @Test
    void shouldLeaveLatencyEmptyInAWindowWithoutPairs() {
        fixture.response("v2", T0.plusSeconds(1), 100.0);
        fixture.flush();
        fixture.response("v2", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE), 100.0);
        fixture.flush();

        final PredictionStats v2 = fixture.stats.readValue();
        assertThat(v2.getCount()).isEqualTo(1);
        assertThat(v2.getLatencyP50Millis()).isNull();
        assertThat(v2.getLatencyP99Millis()).isNull();
    }

    @Test
    void shouldAttributeAPairToTheUnitOfItsResponse() {
        // Seldon Core v2 names the model version (the variant) only in the response.
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v2", T0.plusMillis(40), RESPONSE_2_ROWS, "versioned");
        fixture.send(SeldonEvent.REQUEST_TYPE, "default", T0, REQUEST_2_ROWS, "versioned");

        assertThat(fixture.inferences.readValuesToList()).hasSize(2)
            .allSatisfy(row -> assertThat(row.getUnit().getVariant()).isEqualTo("v2"));
    }

    @Test
    void shouldPairAResponseThatArrivesBeforeItsRequest() {
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusMillis(50), RESPONSE_2_ROWS, "req-2");
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0, REQUEST_2_ROWS, "req-2");

        assertThat(fixture.inferences.readValuesToList())
            .hasSize(2)
            .allSatisfy(row -> assertThat(row.getLatencyMillis()).isEqualTo(50.0));
    }

    @Test
    void shouldWriteARequestAloneWhenItsResponseNeverComes() {
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0, REQUEST_2_ROWS, "lonely");
        assertThat(fixture.inferences.isEmpty()).isTrue();

        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plus(TopologyFixture.PAIRING_WAIT).plusSeconds(2), REQUEST_2_ROWS, "later");

        final List<InferenceRecord> rows = fixture.inferences.readValuesToList();
        assertThat(rows).hasSize(2).allSatisfy(row -> {
            assertThat(row.getRequestId()).isEqualTo("lonely");
            assertThat(row.getPairing()).isEqualTo("response-missing");
            assertThat(row.getPredictions()).isEmpty();
            assertThat(row.getFeatures()).isNotEmpty();
        });
        assertThat(fixture.listener.unpaired).containsExactly("request", "request");
    }

    @Test
    void shouldReportExactlyTheInferencesStillWaitingAfterEachExpiryPass() {
        for (int i = 0; i < 5; i++) {
            fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plusMillis(i), REQUEST_2_ROWS, "alone-" + i);
        }
        for (int i = 0; i < 3; i++) {
            fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plusMillis(10 + i), REQUEST_2_ROWS, "pair-" + i);
            fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusMillis(10 + i), RESPONSE_2_ROWS, "pair-" + i);
        }
        // Half the wait later: the pass runs (every quarter of the wait), nothing has waited long enough.
        final Instant half = T0.plus(TopologyFixture.PAIRING_WAIT.dividedBy(2));
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", half, REQUEST_2_ROWS, "late-alone");
        assertThat(fixture.listener.pairingPending.values().stream().mapToLong(Long::longValue).sum())
            .as("the five lone requests (the pairs left at once)").isEqualTo(5);

        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plus(TopologyFixture.PAIRING_WAIT).plusSeconds(1), REQUEST_2_ROWS, "last");
        assertThat(fixture.listener.pairingPending.values().stream().mapToLong(Long::longValue).sum())
            .as("the five expired; the one sent half a wait ago still waits").isEqualTo(1);
    }

    @Test
    void shouldCountAResentEventOnceInTheStatisticsAndThePairs() {
        // A sender that retries a half-written batch sends its events again, unchanged.
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0, REQUEST_2_ROWS, "dup");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusMillis(10), RESPONSE_2_ROWS, "dup");
        fixture.flush();
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0, REQUEST_2_ROWS, "dup");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusMillis(10), RESPONSE_2_ROWS, "dup");
        fixture.flush();
        fixture.response("v1", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE), 1.0);
        fixture.flush();

        assertThat(fixture.inferences.readValuesToList()).extracting(InferenceRecord::getPairing)
            .containsExactly("paired", "paired");
        assertThat(fixture.listener.duplicates).containsExactly("request", "response");
        assertThat(fixture.stats.readValuesToList()).extracting(PredictionStats::getCount).containsExactly(2L);
    }

    @Test
    void shouldCountTheEventsOfAnotherUnitWithTheSameRequestIdAsItsOwn() {
        // Each node of a graph logs its own events under the request id of the call.
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusMillis(10), RESPONSE_2_ROWS, "shared");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v2", T0.plusMillis(20), RESPONSE_2_ROWS, "shared");
        fixture.flush();
        fixture.response("v1", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE), 1.0);
        fixture.flush();

        assertThat(fixture.stats.readValuesToList()).extracting(stats -> stats.getUnit().getVariant(), PredictionStats::getCount)
            .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("v1", 2L), org.assertj.core.groups.Tuple.tuple("v2", 2L));
    }

    @Test
    void shouldReadTheV1DirectKafkaLoggerWithBareHeadersAndTheRecordTimestamp() {
        fixture.v1Logger.pipeInput(v1Record("io.seldon.serving.inference.request", "k-1", REQUEST_2_ROWS, T0));
        fixture.v1Logger.pipeInput(v1Record("io.seldon.serving.inference.response", "k-1", RESPONSE_2_ROWS, T0.plusMillis(30)));

        final List<InferenceRecord> rows = fixture.inferences.readValuesToList();
        assertThat(rows).hasSize(2).allSatisfy(row -> {
            assertThat(row.getLatencyMillis()).isEqualTo(30.0);
            assertThat(row.getUnit().getDeployment()).isEqualTo("housing");
            assertThat(row.getEventTime()).isEqualTo(T0);
        });
        assertThat(fixture.listener.recordsIn).containsOnly(TopologyFixture.V1_TOPIC);
    }

    @Test
    void shouldAccountForEveryRecordInAsDecodedOrDeadLettered() {
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0, REQUEST_2_ROWS, "a");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0, "{\"data\": {\"ndarray\": [[1, 2], [3]]}}", "a");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0, "{\"data\": ", "b");
        fixture.send("io.seldon.serving.feedback", "v1", T0, "{}", "c");
        fixture.v1Logger.pipeInput(new TestRecord<>(null, new byte[] {(byte) 0xff, (byte) 0xfe}, new RecordHeaders(), T0));
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0, RESPONSE_2_ROWS, "a");

        final TopologyFixture.RecordingListener counts = fixture.listener;
        assertThat(counts.recordsIn).hasSize(6);
        assertThat(counts.decoded.size() + counts.deadLetterReasons.size()).isEqualTo(counts.recordsIn.size());
        assertThat(counts.deadLetterReasons).containsExactlyInAnyOrder("ragged-ndarray", "bad-json", "missing-type");
        assertThat(fixture.deadLetters.readRecordsToList()).hasSize(3);
    }

    private static final String PAIRING_REPARTITION = Names.repartitionTopic(TopologyFixture.APPLICATION_ID, Names.PAIRING_HALVES_BY_REQUEST_ID);

    @Test
    void shouldPairRecordsKeyedByRequestIdWhereTheyAreAndRepartitionTheOthers() {
        // The CloudEvents topic as the ingest endpoint writes it: keyed by request id.
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0, REQUEST_2_ROWS, "keyed");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusMillis(25), RESPONSE_2_ROWS, "keyed");
        assertThat(fixture.inferences.readValuesToList()).hasSize(2).allSatisfy(row -> assertThat(row.getLatencyMillis()).isEqualTo(25.0));
        assertThat(fixture.driver.producedTopicNames()).doesNotContain(PAIRING_REPARTITION);

        // The v1 executor's direct Kafka logger writes no key: both halves cross the repartition, once per event.
        fixture.v1Logger.pipeInput(v1Record("io.seldon.serving.inference.request", "unkeyed", REQUEST_2_ROWS, T0));
        fixture.v1Logger.pipeInput(v1Record("io.seldon.serving.inference.response", "unkeyed", RESPONSE_2_ROWS, T0.plusMillis(35)));
        assertThat(fixture.inferences.readValuesToList()).hasSize(2).allSatisfy(row -> assertThat(row.getLatencyMillis()).isEqualTo(35.0));
        assertThat(fixture.driver.producedTopicNames()).contains(PAIRING_REPARTITION);
        assertThat(fixture.listener.paired).isEqualTo(4);
    }

    @Test
    void shouldPairTheRowsBothSidesHaveAndMarkTheRestAtOnce() {
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0, REQUEST_2_ROWS, "short-response");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusMillis(10), "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[24000.0]]}}",
            "short-response");

        final List<InferenceRecord> rows = fixture.inferences.readValuesToList();
        assertThat(rows).extracting(InferenceRecord::getRowIndex, InferenceRecord::getPairing, InferenceRecord::getLatencyMillis)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "paired", 10.0), org.assertj.core.groups.Tuple.tuple(1, "response-missing", null));
        assertThat(rows.get(1).getFeatures()).containsExactly(new NamedValue("rm", 5.9), new NamedValue("lstat", 9.14));
        assertThat(fixture.listener.paired).isEqualTo(1);
        assertThat(fixture.listener.unpaired).containsExactly("request");
    }

    @Test
    void shouldRecogniseADuplicateThatComesLongAfterThePairButWithinTheWait() {
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0, REQUEST_2_ROWS, "late-dup");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusMillis(10), RESPONSE_2_ROWS, "late-dup");
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plusSeconds(30), REQUEST_2_ROWS, "other");
        fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", T0.plusSeconds(40), RESPONSE_2_ROWS, "late-dup");

        assertThat(fixture.listener.duplicates).containsExactly("response");
        // Long after the wait, the id is forgotten: a half with it waits like any other.
        fixture.send(SeldonEvent.REQUEST_TYPE, "v1", T0.plus(TopologyFixture.PAIRING_WAIT.multipliedBy(3)), REQUEST_2_ROWS, "late-dup");
        assertThat(fixture.listener.duplicates).hasSize(1);
    }

    private static TestRecord<byte[], byte[]> v1Record(final String type, final String requestId, final String body, final Instant timestamp) {
        final RecordHeaders headers = new RecordHeaders();
        headers.add("type", utf8(type));
        headers.add("requestid", utf8(requestId));
        headers.add("inferenceservicename", utf8("housing"));
        headers.add("endpoint", utf8("v1"));
        headers.add("modelid", utf8("classifier"));
        headers.add("namespace", utf8("seldon"));
        headers.add("content-type", utf8("application/json"));
        return new TestRecord<>(null, utf8(body), headers, timestamp);
    }

    @Test
    void expiryPassRunsEveryQuarterOfTheWaitButNotMoreOftenThanEverySecond() {
        assertThat(PairingProcessor.expiryInterval(java.time.Duration.ofSeconds(60))).isEqualTo(java.time.Duration.ofSeconds(15));
        assertThat(PairingProcessor.expiryInterval(java.time.Duration.ofSeconds(2))).isEqualTo(java.time.Duration.ofSeconds(1));
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
