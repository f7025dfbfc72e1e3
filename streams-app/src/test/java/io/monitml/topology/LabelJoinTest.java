package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.monitml.avro.PerformanceReport;
import io.monitml.demo.KafkaCloudEventSink;
import io.monitml.demo.SeldonEvent;

/**
 * The label join in the topology: labels after and before their prediction, past the horizon, twice, for nobody, of the wrong
 * shape; here with every keyed response and label in place, in {@link LabelJoinAcrossTest} and {@link LabelJoinMixedTest} with
 * every one, or some, across the repartition.
 */
class LabelJoinTest extends TopologyTestSupport {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private void response(final String variant, final Instant time, final String requestId, final double... predictions) {
        final StringBuilder body = new StringBuilder("{\"data\":{\"names\":[\"price\"],\"ndarray\":[");
        for (int i = 0; i < predictions.length; i++) {
            body.append(i == 0 ? "" : ",").append('[').append(predictions[i]).append(']');
        }
        fixture.send(SeldonEvent.RESPONSE_TYPE, variant, time, body.append("]},\"meta\":{}}").toString(), requestId);
    }

    private void label(final String requestId, final String truth, final Instant time) {
        fixture.label(requestId, truth, time, time);
    }

    /** The latest report of each window, by the topic's key, as a consumer of the compacted topic sees them. */
    private Map<String, PerformanceReport> latest() {
        final Map<String, PerformanceReport> latest = new LinkedHashMap<>();
        fixture.performance.readRecordsToList().forEach(record -> latest.put(record.key(), record.value()));
        return latest;
    }

    private static PerformanceReport of(final Map<String, PerformanceReport> reports, final String variant) {
        return reports.values().stream().filter(report -> report.getUnit().getVariant().equals(variant)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void shouldJudgeEachPredictionByItsLabelForTheVariantThatAnsweredIt() {
        response("v1", T0, "r1", 24_000.0);
        response("v1", T0.plusSeconds(1), "r2", 30_000.0);
        response("v2", T0.plusSeconds(2), "r3", 100.0);
        response("v1", T0.plusSeconds(3), "unlabelled", 20_000.0);
        label("r1", "25000", T0.plusSeconds(30));
        label("r2", "29000.5", T0.plusSeconds(61));
        label("r3", "25000", T0.plusSeconds(42));
        fixture.flush();

        final Map<String, PerformanceReport> reports = latest();
        final PerformanceReport v1 = of(reports, "v1");
        assertThat(v1.getPredicted()).isEqualTo(3);
        assertThat(v1.getLabelled()).isEqualTo(2);
        assertThat(v1.getCoverage()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v1.getMae()).isCloseTo((1000.0 + 999.5) / 2, within(1e-9));
        assertThat(v1.getBias()).isCloseTo((-1000.0 + 999.5) / 2, within(1e-9));
        assertThat(v1.getLabelLagP50Millis()).isEqualTo(30_000.0);
        assertThat(v1.getWindowStart()).isEqualTo(T0);
        assertThat(v1.getWindowEnd()).isEqualTo(T0.plus(TopologyFixture.WINDOW));
        assertThat(reports).containsKey(PerformanceRecords.topicKey("seldon/housing/v1/classifier", T0.toEpochMilli()));
        // The label names no variant: it is judged for the one that answered.
        final PerformanceReport v2 = of(reports, "v2");
        assertThat(v2.getLabelled()).isEqualTo(1);
        assertThat(v2.getMae()).isEqualTo(24_900.0);
        assertThat(v2.getMaeStandardError()).isNull();
        assertThat(fixture.listener.labelOutcomes).containsExactly("joined", "joined", "joined");
    }

    @Test
    void shouldJoinWhereTheyAreTheResponsesAndLabelsKeyedByTheirRequestIdAndTheOthersAcrossTheRepartition() {
        final TestOutputTopic<String, byte[]> crossing = fixture.driver.createOutputTopic(
            Names.repartitionTopic(TopologyFixture.APPLICATION_ID, Names.JOIN_INPUTS_BY_REQUEST_ID), new StringDeserializer(),
            new ByteArrayDeserializer());
        final List<String> ids = List.of("k1", "k2", "k3", "k4", "k5", "k6");
        for (String id : ids) {
            response("v1", T0, id, 10.0);
            label(id, "12", T0.plusSeconds(5));
        }
        // Unkeyed, as Seldon Core v1's direct logger writes and as a labels producer may: these always cross.
        final ProducerRecord<byte[], byte[]> keyed = KafkaCloudEventSink.toRecord(TopologyFixture.TOPICS.raw(), new SeldonEvent(
            SeldonEvent.RESPONSE_TYPE, "e", "unkeyed", "seldon", "housing", "v1", "classifier", T0, SeldonEvent.JSON,
            "{\"data\":{\"ndarray\":[[10.0]]},\"meta\":{}}".getBytes(StandardCharsets.UTF_8)));
        fixture.pipe(new ProducerRecord<>(keyed.topic(), null, keyed.timestamp(), null, keyed.value(), keyed.headers()));
        fixture.labels.pipeInput(null, "{\"requestId\":\"unkeyed\",\"truth\":12}".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(5));
        fixture.flush();

        assertThat(of(latest(), "v1").getLabelled()).isEqualTo(ids.size() + 1);
        assertThat(fixture.listener.labelOutcomes).hasSize(ids.size() + 1).containsOnly("joined");
        // In place: those keyed by their id and, among as many partitions as the inputs have, in the one Kafka's partitioner gives it.
        final int partitions = joinPartitions();
        final long stay = partitions == 0 ? 0
            : ids.stream().filter(id -> Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions == 0).count();
        assertThat(crossing.readKeyValuesToList()).extracting(kv -> kv.key)
            .hasSize(2 * (ids.size() + 1 - (int) stay)).contains("unkeyed", "unkeyed");
        if (partitions == 2) {
            assertThat(stay).as("some in place, some across").isStrictlyBetween(0L, (long) ids.size());
        }
    }

    @Test
    void shouldJoinALabelThatCameBeforeItsPrediction() {
        label("early", "25000", T0);
        fixture.flush();
        assertThat(fixture.performance.isEmpty()).isTrue();
        response("v1", T0.plusSeconds(2), "early", 24_500.0);
        fixture.flush();

        final PerformanceReport v1 = of(latest(), "v1");
        assertThat(v1.getLabelled()).isEqualTo(1);
        assertThat(v1.getMae()).isEqualTo(500.0);
        // Label before prediction: the lag is counted as none.
        assertThat(v1.getLabelLagP50Millis()).isEqualTo(0.0);
    }

    @Test
    void shouldJoinTheLabelsOfABacklogThatCrossBeforeTheirPredictionsAsTheLiveTrafficWould() {
        // Replayed after an outage: every label first, minutes of label time ahead of the first prediction.
        label("b1", "25000", T0.plusSeconds(30));
        label("b2", "26000", T0.plusSeconds(500));
        label("b3", "27000", T0.plus(TopologyFixture.LABEL_HORIZON).plusSeconds(100));
        response("v1", T0, "b1", 24_000.0);
        response("v1", T0.plusSeconds(420), "b2", 24_000.0);
        // A prediction past b1's wait: b1 was joined, nothing is left to expire.
        response("v1", T0.plusSeconds(600), "b3", 24_000.0);
        fixture.flush();

        assertThat(fixture.listener.labelOutcomes).containsExactly("joined", "joined", "joined");
        assertThat(latest().values().stream().mapToLong(PerformanceReport::getLabelled).sum()).isEqualTo(3);
    }

    @Test
    void shouldUpdateAWindowAsLateLabelsArriveAndKeepItsFiguresCumulative() {
        response("v1", T0, "a", 10.0);
        response("v1", T0.plusSeconds(1), "b", 20.0);
        label("a", "12", T0.plusSeconds(5));
        fixture.flush();
        assertThat(of(latest(), "v1").getLabelled()).isEqualTo(1);

        // Minutes later, with the window long closed, the second label comes.
        response("v1", T0.plusSeconds(300), "later", 1.0);
        label("b", "26", T0.plusSeconds(305));
        fixture.flush();

        final List<TestRecord<String, PerformanceReport>> updates = fixture.performance.readRecordsToList();
        final PerformanceReport first = updates.stream().map(TestRecord::value)
            .filter(report -> report.getWindowStart().equals(T0)).reduce((a, b) -> b).orElseThrow();
        assertThat(first.getLabelled()).isEqualTo(2);
        assertThat(first.getMae()).isEqualTo(4.0);
        assertThat(first.getRmse()).isCloseTo(Math.sqrt((4.0 + 36.0) / 2), within(1e-12));
        assertThat(first.getUpdatedAt()).isEqualTo(T0.plusSeconds(305));
    }

    @Test
    void shouldCountASecondLabelForOnePredictionAsADuplicateAndJudgeItOnce() {
        response("v1", T0, "twice", 10.0);
        label("twice", "12", T0.plusSeconds(5));
        label("twice", "1000", T0.plusSeconds(6));
        fixture.flush();

        final PerformanceReport v1 = of(latest(), "v1");
        assertThat(v1.getLabelled()).isEqualTo(1);
        assertThat(v1.getMae()).isEqualTo(2.0);
        assertThat(fixture.listener.labelOutcomes).containsExactly("joined", "duplicate");
    }

    @Test
    void shouldCountLabelsForUnknownPredictionsAndForPredictionsPastTheHorizonAfterTheirWait() {
        response("v1", T0, "old", 10.0);
        label("nobody", "3", T0.plusSeconds(1));
        // Stream time passes the horizon of the first prediction: its label finds nothing kept.
        final Instant afterHorizon = T0.plus(TopologyFixture.LABEL_HORIZON).plusSeconds(30);
        response("v1", afterHorizon, "new", 10.0);
        label("old", "12", afterHorizon.plusSeconds(1));
        assertThat(fixture.listener.labelOutcomes).containsExactly("unknown");
        // The late label waits for its prediction for the label wait, then counts as unknown.
        response("v1", afterHorizon.plus(TopologyFixture.LABEL_WAIT).plusSeconds(20), "newer", 10.0);
        fixture.flush();

        assertThat(fixture.listener.labelOutcomes).containsExactly("unknown", "unknown");
        assertThat(latest().values()).allSatisfy(report -> assertThat(report.getLabelled()).isZero());
    }

    @Test
    void shouldCountALabelAsUnknownOnceNoPredictionHasComeForAWholeWaitOnTheClock() {
        response("v1", T0, "served", 10.0);
        // The model stops serving: no prediction comes any more, so the predictions' time stands still.
        label("never-served", "3", T0.plusSeconds(1));
        fixture.driver.advanceWallClockTime(TopologyFixture.LABEL_WAIT.minusSeconds(5));
        assertThat(fixture.listener.labelOutcomes).as("still within its wait").isEmpty();
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(fixture.listener.labelOutcomes).containsExactly("unknown");
        // While none comes, a label past its wait on the clock is unknown at once; one that fits its wait waits.
        label("late", "3", TopologyFixture.WALL_CLOCK.minus(TopologyFixture.LABEL_WAIT.multipliedBy(2)));
        label("recent", "3", TopologyFixture.WALL_CLOCK.plusSeconds(60));
        assertThat(fixture.listener.labelOutcomes).containsExactly("unknown", "unknown");
        // The predictions come again: a waiting label waits in their time again, and is joined by its own.
        response("v1", T0.plusSeconds(2), "recent", 1.0);
        assertThat(fixture.listener.labelOutcomes).containsExactly("unknown", "unknown", "joined");
    }

    @Test
    void shouldDeadLetterALabelWhoseShapeDoesNotFitItsPredictionAndJudgeItWithOneThatFits() {
        response("v1", T0, "batch", 10.0, 20.0);
        label("batch", "12", T0.plusSeconds(5));
        label("batch", "\"expensive\"", T0.plusSeconds(5));
        label("batch", "[12, 26]", T0.plusSeconds(6));
        fixture.flush();

        assertThat(fixture.listener.deadLetterReasons).containsExactly(LabelJoinProcessor.SHAPE_MISMATCH, LabelJoinProcessor.SHAPE_MISMATCH);
        final List<TestRecord<byte[], byte[]>> letters = fixture.deadLetters.readRecordsToList();
        assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).contains("\"requestId\":\"batch\"").contains("\"truth\":12");
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetterHandler.MESSAGE_HEADER).value(), StandardCharsets.UTF_8))
            .contains("one truth").contains("2 rows");
        final PerformanceReport v1 = of(latest(), "v1");
        assertThat(v1.getLabelled()).isEqualTo(2);
        assertThat(v1.getMae()).isEqualTo(4.0);
        assertThat(fixture.listener.labelOutcomes).containsExactly("mismatch", "mismatch", "joined");
    }

    @Test
    void shouldDeadLetterALabelThatCameFirstAndDoesNotFitWithTheLabelInTheMessage() {
        label("first", "[1, 2, 3]", T0);
        response("v1", T0.plusSeconds(1), "first", 10.0);
        label("first", "11", T0.plusSeconds(2));
        fixture.flush();

        assertThat(fixture.listener.deadLetterReasons).containsExactly(LabelJoinProcessor.SHAPE_MISMATCH);
        final TestRecord<byte[], byte[]> letter = fixture.deadLetters.readRecord();
        assertThat(new String(letter.headers().lastHeader(DeadLetterHandler.MESSAGE_HEADER).value(), StandardCharsets.UTF_8))
            .contains("3 truths").contains("[1.0,2.0,3.0]");
        assertThat(of(latest(), "v1").getMae()).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterALabelThatIsNotALabelAtTheDecodeStage() {
        fixture.labels.pipeInput("k".getBytes(StandardCharsets.UTF_8), "{\"requestId\":\"other\",\"truth\":1}".getBytes(StandardCharsets.UTF_8),
            T0);
        fixture.labels.pipeInput(null, "not json".getBytes(StandardCharsets.UTF_8), T0);
        fixture.label("future", "1", TopologyFixture.WALL_CLOCK.plusSeconds(3600), T0);

        assertThat(fixture.listener.deadLetterReasons).containsExactly("key-mismatch", "bad-json", "bad-time");
        assertThat(fixture.deadLetters.readRecordsToList()).allSatisfy(letter -> assertThat(
            new String(letter.headers().lastHeader(DeadLetterHandler.STAGE_HEADER).value(), StandardCharsets.UTF_8)).isEqualTo("decode"));
    }
}
