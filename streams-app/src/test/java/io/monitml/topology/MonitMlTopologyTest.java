package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.monitml.avro.PredictionStats;
import io.monitml.ingest.EventKind;

class MonitMlTopologyTest extends TopologyTestSupport {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String V1 = "seldon/housing/v1/classifier";
    private static final String V2 = "seldon/housing/v2/classifier";

    private Map<String, PredictionStats> closedWindows() {
        return fixture.stats.readKeyValuesToList().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
    }

    /** A response past the window's end plus grace moves stream time so that the window closes. */
    private void closeFirstWindow() {
        fixture.response("v1", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE), 1.0);
        fixture.flush();
    }

    @Test
    void shouldEmitCountMinMaxMeanPerVariantOnlyWhenTheWindowCloses() {
        fixture.response("v1", T0.plusSeconds(1), 20_000.0, 30_000.0);
        fixture.response("v1", T0.plusSeconds(5), 25_000.0);
        fixture.response("v2", T0.plusSeconds(2), 100.0);
        fixture.response("v2", T0.plusSeconds(9), 100.0);
        fixture.flush();
        assertThat(fixture.stats.isEmpty()).as("no result while the window is open").isTrue();

        closeFirstWindow();

        final Map<String, PredictionStats> windows = closedWindows();
        assertThat(windows).containsOnlyKeys(V1, V2);
        final PredictionStats v1 = windows.get(V1);
        assertThat(v1.getWindowStart()).isEqualTo(T0);
        assertThat(v1.getWindowEnd()).isEqualTo(T0.plus(TopologyFixture.WINDOW));
        assertThat(v1.getResponses()).isEqualTo(2);
        assertThat(v1.getCount()).isEqualTo(3);
        assertThat(v1.getMin()).isEqualTo(20_000.0);
        assertThat(v1.getMax()).isEqualTo(30_000.0);
        assertThat(v1.getMean()).isCloseTo(25_000.0, within(1e-9));
        assertThat(v1.getVariance()).isCloseTo(25_000_000.0, within(1e-6));
        assertThat(v1.getOutput()).isEqualTo("price");
        final PredictionStats v2 = windows.get(V2);
        assertThat(v2.getCount()).isEqualTo(2);
        assertThat(v2.getMean()).isEqualTo(100.0);
        assertThat(v2.getUnit().getVariant()).isEqualTo("v2");
        assertThat(fixture.listener.closed).hasSize(2);
    }

    @Test
    void keepsTheOpenWindowsStatisticsQueryableUntilTheyCloseAsTheClosedOnesRead() {
        fixture.response("v1", T0.plusSeconds(1), 10.0, 30.0);
        fixture.flush();
        assertThat(live(V1)).as("after the first flush").singleElement()
            .satisfies(stats -> assertThat(stats.getCount()).isEqualTo(2L));
        fixture.response("v1", T0.plusSeconds(4), 20.0);
        fixture.flush();
        final PredictionStats open = live(V1).get(0);
        assertThat(open.getCount()).isEqualTo(3L);
        assertThat(open.getMean()).isEqualTo(20.0);
        assertThat(open.getWindowStart()).isEqualTo(T0);
        assertThat(open.getWindowEnd()).isEqualTo(T0.plus(TopologyFixture.WINDOW));

        closeFirstWindow();

        final PredictionStats closed = closedWindows().get(V1);
        assertThat(closed.getCount()).isEqualTo(open.getCount());
        assertThat(closed.getP50()).isEqualTo(open.getP50());
        assertThat(live(V1)).as("the closed window left; the one that closed it is open")
            .extracting(PredictionStats::getWindowStart).containsExactly(T0.plus(TopologyFixture.WINDOW));
    }

    private List<PredictionStats> live(final String unit) {
        final List<PredictionStats> found = new java.util.ArrayList<>();
        try (var windows = fixture.driver.<String, PredictionStats>getWindowStore(Names.LIVE_PREDICTION_STATS_STORE)
            .fetch(unit, Instant.EPOCH, T0.plusSeconds(3600))) {
            windows.forEachRemaining(entry -> found.add(entry.value));
        }
        return found;
    }

    @Test
    void shouldReportQuantilesOfThePredictionsMergedAcrossFlushes() {
        for (int value = 1; value <= 100; value++) {
            fixture.response("v1", T0.plusMillis(value * 10L), value);
            if (value % 30 == 0) {
                fixture.flush();
            }
        }
        fixture.flush();
        closeFirstWindow();

        final PredictionStats v1 = closedWindows().get(V1);
        assertThat(v1.getCount()).isEqualTo(100);
        assertThat(v1.getP50()).isEqualTo(50.0);
        assertThat(v1.getP90()).isEqualTo(90.0);
        assertThat(v1.getP99()).isEqualTo(99.0);
    }

    @Test
    void shouldMergePartialsFlushedAtDifferentTimesIntoOneWindow() {
        fixture.response("v1", T0.plusSeconds(1), 10.0);
        fixture.flush();
        fixture.response("v1", T0.plusSeconds(3), 30.0);
        fixture.flush();
        fixture.response("v1", T0.plusSeconds(8), 20.0);
        fixture.flush();

        closeFirstWindow();

        final PredictionStats v1 = closedWindows().get(V1);
        assertThat(v1.getCount()).isEqualTo(3);
        assertThat(v1.getMean()).isCloseTo(20.0, within(1e-12));
        assertThat(v1.getMin()).isEqualTo(10.0);
        assertThat(v1.getMax()).isEqualTo(30.0);
    }

    @Test
    void shouldKeepConsecutiveWindowsApart() {
        fixture.response("v2", T0.plusSeconds(1), 100.0);
        fixture.response("v2", T0.plusSeconds(11), 100.0, 100.0);
        fixture.response("v2", T0.plusSeconds(35), 100.0);
        fixture.flush();

        final List<KeyValue<String, PredictionStats>> windows = fixture.stats.readKeyValuesToList();

        assertThat(windows).extracting(kv -> kv.value.getWindowStart())
            .containsExactly(T0, T0.plus(TopologyFixture.WINDOW));
        assertThat(windows).extracting(kv -> kv.value.getCount()).containsExactly(1L, 2L);
    }

    @Test
    void shouldCountARecordLaterThanTheGraceAndLeaveItsClosedWindowAlone() {
        fixture.response("v1", T0.plusSeconds(1), 10.0);
        fixture.flush();
        fixture.response("v1", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE).plusSeconds(5), 99.0);
        fixture.request("v1", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE).plusSeconds(5));
        fixture.flush();

        fixture.response("v1", T0.plusSeconds(5), 1_000_000.0);
        fixture.request("v1", T0.plusSeconds(6));
        fixture.flush();

        final PredictionStats closed = fixture.stats.readValue();
        assertThat(closed.getWindowStart()).isEqualTo(T0);
        assertThat(closed.getCount()).isEqualTo(1);
        assertThat(closed.getMax()).isEqualTo(10.0);
        assertThat(fixture.listener.late).containsExactlyInAnyOrder("prediction-statistics", "feature-drift");
    }

    @Test
    void shouldNotLoseAnEarlierWindowOfOneUnitWhenOneFlushAlsoCarriesALaterWindowOfAnother() {
        // A backlog (catching up, replaying) puts several windows of several units into one flush.
        // The buffer's key order would send v1's later window first and push the merging stage's
        // stream time past v2's earlier window.
        fixture.response("v2", T0.plusSeconds(5), 100.0);
        fixture.response("v1", T0.plus(TopologyFixture.WINDOW).plusSeconds(5), 20_000.0);
        fixture.flush();
        fixture.response("v1", T0.plus(TopologyFixture.WINDOW.multipliedBy(3)), 1.0);
        fixture.flush();

        final List<KeyValue<String, PredictionStats>> windows = fixture.stats.readKeyValuesToList();
        assertThat(windows).extracting(kv -> kv.key + "@" + kv.value.getWindowStart())
            .contains(V2 + "@" + T0, V1 + "@" + T0.plus(TopologyFixture.WINDOW));
    }

    @Test
    void shouldCountFailedResponsesWithoutPredictions() {
        fixture.response("v1", T0.plusSeconds(1), 42.0);
        fixture.send("io.seldon.serving.inference.response", "v1", T0.plusSeconds(2),
            "{\"status\":{\"code\":500,\"info\":\"boom\",\"status\":\"FAILURE\"}}");
        fixture.flush();
        closeFirstWindow();

        final PredictionStats v1 = closedWindows().get(V1);
        assertThat(v1.getResponses()).isEqualTo(2);
        assertThat(v1.getErrorCount()).isEqualTo(1);
        assertThat(v1.getCount()).isEqualTo(1);
    }

    @Test
    void shouldNotTakeRequestsForPredictions() {
        fixture.request("v1", T0.plusSeconds(1));
        fixture.response("v1", T0.plusSeconds(2), 7.0);
        fixture.flush();
        closeFirstWindow();

        assertThat(closedWindows().get(V1).getCount()).isEqualTo(1);
        assertThat(fixture.listener.decoded).contains(EventKind.REQUEST, EventKind.RESPONSE);
    }

    @Test
    void shouldSendUndecodableRecordsToTheDeadLetterTopicWithTheReasonAndKeepGoing() {
        fixture.send("io.seldon.serving.inference.response", "v1", T0.plusSeconds(1), "{\"data\": {\"ndarray\": [[1, ");
        fixture.response("v1", T0.plusSeconds(2), 5.0);
        fixture.flush();
        closeFirstWindow();

        final TestRecord<byte[], byte[]> deadLetter = fixture.deadLetters.readRecord();
        final Headers headers = deadLetter.headers();
        assertThat(header(headers, DeadLetterHandler.REASON_HEADER)).isEqualTo("bad-json");
        assertThat(header(headers, DeadLetterHandler.MESSAGE_HEADER)).contains("not valid JSON");
        assertThat(header(headers, DeadLetterHandler.STAGE_HEADER)).isEqualTo("decode");
        assertThat(header(headers, DeadLetterHandler.TOPIC_HEADER)).isEqualTo(TopologyFixture.TOPICS.raw());
        assertThat(header(headers, DeadLetterHandler.OFFSET_HEADER)).isEqualTo("0");
        assertThat(header(headers, "ce_type")).as("original headers are kept").isEqualTo("io.seldon.serving.inference.response");
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"data\": {\"ndarray\": [[1, ");
        assertThat(fixture.listener.deadLetterReasons).containsExactly("bad-json");
        assertThat(closedWindows().get(V1).getCount()).as("the good record after it still counts").isEqualTo(1);
    }

    @Test
    void shouldDeadLetterEventsWithoutTypeOrRequestId() {
        fixture.pipe(new org.apache.kafka.clients.producer.ProducerRecord<>(TopologyFixture.TOPICS.raw(), null,
            T0.toEpochMilli(), null, "{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(header(fixture.deadLetters.readRecord().headers(), DeadLetterHandler.REASON_HEADER)).isEqualTo("missing-type");
    }

    private static String header(final Headers headers, final String key) {
        return headers.lastHeader(key) == null ? null : new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
