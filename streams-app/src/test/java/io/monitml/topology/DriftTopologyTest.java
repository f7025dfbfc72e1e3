package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.monitml.avro.DriftReport;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.FeatureKind;
import io.monitml.baseline.BaselineBuilder;
import io.monitml.baseline.BaselineSpec;
import io.monitml.baseline.Table;
import io.monitml.baseline.TestTables;
import io.monitml.demo.SeldonEvent;
import io.monitml.drift.DriftCalculator;

/** Feature drift through the whole topology: windows of Boston rows against the Boston baseline. */
class DriftTopologyTest extends TopologyTestSupport {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static Table boston;
    private static List<String[]> bostonRows;

    private final Random random = new Random(42);

    @BeforeEach
    void publishBaseline() throws IOException {
        boston = TestTables.boston();
        bostonRows = TestTables.rows(boston);
        final BaselineSpec spec = new BaselineSpec("housing", null, "1", "medv", Set.of("chas"), Set.of(), Set.of(), 10, 20, 200);
        fixture.baselines.pipeInput(spec.key(), new BaselineBuilder(spec).build(boston, "boston", T0), T0);
    }

    /** Sends {@code rows} requests of one Boston row each (chas as a category), changed by {@code shift}. */
    private void requests(final String deployment, final Instant from, final int rows, final UnaryOperator<double[]> shift) {
        final List<String> names = boston.header().subList(0, 12);
        for (int i = 0; i < rows; i++) {
            final int row = random.nextInt(bostonRows.size());
            final double[] values = new double[12];
            for (int column = 0; column < 12; column++) {
                values[column] = Double.parseDouble(bostonRows.get(row)[column]);
            }
            final double[] shifted = shift.apply(values);
            final StringBuilder body = new StringBuilder("{\"data\":{\"names\":[");
            body.append(names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(","))).append("],\"ndarray\":[[");
            for (int column = 0; column < 12; column++) {
                body.append(column == 0 ? "" : ",");
                body.append(names.get(column).equals("chas") ? "\"" + (int) shifted[column] + "\"" : Double.toString(shifted[column]));
            }
            body.append("]]}}");
            fixture.send(SeldonEvent.REQUEST_TYPE, deployment, "v1", from.plusMillis(i * 10L), body.toString());
        }
    }

    private static double[] driftRmAndLstat(final double[] row) {
        final double[] shifted = row.clone();
        shifted[5] += 1.5;
        shifted[11] *= 1.6;
        return shifted;
    }

    private void closeWindowsBefore(final Instant time) {
        fixture.flush();
        requests("housing", time.plus(TopologyFixture.GRACE).plusSeconds(1), 1, UnaryOperator.identity());
        fixture.flush();
    }

    private static Map<String, FeatureDrift> byName(final DriftReport report) {
        return report.getFeatures().stream().collect(Collectors.toMap(FeatureDrift::getName, f -> f));
    }

    @Test
    void shouldFlagTheShiftedFeaturesAndOnlyAfterTheShift() {
        requests("housing", T0, 300, UnaryOperator.identity());
        requests("housing", T0.plus(TopologyFixture.WINDOW), 300, DriftTopologyTest::driftRmAndLstat);
        closeWindowsBefore(T0.plus(TopologyFixture.WINDOW.multipliedBy(2)));

        final List<DriftReport> reports = fixture.drift.readValuesToList();

        assertThat(reports).hasSize(2);
        final DriftReport before = reports.get(0);
        assertThat(before.getWindowStart()).isEqualTo(T0);
        assertThat(before.getStatus()).isEqualTo(DriftCalculator.OK);
        assertThat(before.getRows()).isEqualTo(300);
        assertThat(before.getBaselineVersion()).isEqualTo("1");
        assertThat(before.getCorrectedThreshold()).isEqualTo(0.05 / 12);
        assertThat(before.getFeatures()).hasSize(12).noneMatch(FeatureDrift::getDrifted);
        final DriftReport after = reports.get(1);
        assertThat(after.getStatus()).isEqualTo(DriftCalculator.DRIFT);
        assertThat(after.getDriftDetected()).isTrue();
        assertThat(after.getFeatures()).filteredOn(FeatureDrift::getDrifted).extracting(FeatureDrift::getName)
            .containsExactlyInAnyOrder("rm", "lstat");
        final FeatureDrift rm = byName(after).get("rm");
        assertThat(rm.getTest()).isEqualTo("ks");
        assertThat(rm.getStatistic()).isGreaterThan(0.5);
        assertThat(rm.getPValue()).isLessThan(1e-10);
        assertThat(rm.getPsi()).isGreaterThan(0.25);
        assertThat(rm.getCurrentProportions()).hasSameSizeAs(rm.getBaselineProportions());
        assertThat(rm.getStatisticError()).as("300 rows exceed the sketch's exact capacity").isGreaterThan(0.0).isLessThan(0.05);
        assertThat(rm.getMissingRate()).isZero();
        assertThat(rm.getBaselineMissingRate()).isZero();
    }

    @Test
    void shouldFlagTheCanaryThatAnswers100AgainstThePredictionBaselineButNotTheHealthyVariant() {
        final int medv = boston.column("medv");
        for (int i = 0; i < 300; i++) {
            fixture.response("v1", T0.plusMillis(i * 10L), Double.parseDouble(bostonRows.get(random.nextInt(bostonRows.size()))[medv]));
            fixture.response("v2", T0.plusMillis(i * 10L), 100.0);
        }
        fixture.flush();
        fixture.response("v1", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE).plusSeconds(1), 20.0);
        fixture.flush();

        final Map<String, io.monitml.avro.PredictionStats> stats = fixture.stats.readKeyValuesToList().stream()
            .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
        final FeatureDrift healthy = stats.get("seldon/housing/v1/classifier").getDrift();
        final FeatureDrift broken = stats.get("seldon/housing/v2/classifier").getDrift();
        assertThat(healthy.getName()).isEqualTo("medv");
        assertThat(healthy.getDrifted()).isFalse();
        assertThat(broken.getDrifted()).isTrue();
        assertThat(broken.getStatistic()).isGreaterThan(0.99);
        assertThat(broken.getPsi()).isGreaterThan(0.25);
    }

    @Test
    void shouldTestACategoricalFeatureWithChiSquare() {
        requests("housing", T0, 300, UnaryOperator.identity());
        closeWindowsBefore(T0.plus(TopologyFixture.WINDOW));

        final FeatureDrift chas = byName(fixture.drift.readValue()).get("chas");

        assertThat(chas.getKind()).isEqualTo(FeatureKind.CATEGORICAL);
        assertThat(chas.getTest()).isEqualTo("chi2");
        assertThat(chas.getCount()).isEqualTo(300);
        assertThat(chas.getPValue()).isGreaterThan(0.001);
        assertThat(chas.getBaselineProportions()).hasSize(3);
        assertThat(chas.getCategories()).as("one label per proportion but the last (every other category)").containsExactlyInAnyOrder("0", "1");
    }

    @Test
    void shouldRefuseAnUnusableBaselineAndKeepTheLastGoodOne() throws IOException {
        final BaselineSpec spec = new BaselineSpec("housing", null, "2", "medv", Set.of("chas"), Set.of(), Set.of(), 10, 20, 200);
        final io.monitml.avro.TrainingBaseline unsorted = new BaselineBuilder(spec).build(boston, "boston", T0);
        final io.monitml.avro.FeatureBaseline rm = unsorted.getFeatures().stream().filter(f -> f.getName().equals("rm")).findFirst()
            .orElseThrow();
        final List<Double> reversed = new java.util.ArrayList<>(rm.getBinEdges());
        java.util.Collections.reverse(reversed);
        rm.setBinEdges(reversed);
        fixture.baselines.pipeInput(spec.key(), unsorted, T0.plusSeconds(1));
        final io.monitml.avro.TrainingBaseline empty = new BaselineBuilder(spec).build(boston, "boston", T0);
        empty.setFeatures(List.of());
        fixture.baselines.pipeInput(spec.key(), empty, T0.plusSeconds(2));

        requests("housing", T0, 300, UnaryOperator.identity());
        closeWindowsBefore(T0.plus(TopologyFixture.WINDOW));

        assertThat(fixture.listener.baselinesRejected).containsExactly(spec.key() + ":bins", spec.key() + ":no-features");
        final DriftReport report = fixture.drift.readValue();
        assertThat(report.getBaselineVersion()).as("the last good baseline stays in force").isEqualTo("1");
        assertThat(report.getStatus()).isEqualTo(DriftCalculator.OK);
    }

    @Test
    void shouldRefuseABaselineRecordThatDoesNotDecodeAndKeepTheBaselines() {
        final TestInputTopic<String, byte[]> raw = fixture.driver.createInputTopic(TopologyFixture.TOPICS.baselines(),
            new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
        // A schema id the registry never issued, then bytes that are not the registry's wire format at all.
        raw.pipeInput("housing@2", new byte[] {0, 0, 0, 0, 42, 7}, T0);
        raw.pipeInput("housing@3", "{\"features\": []}".getBytes(java.nio.charset.StandardCharsets.UTF_8), T0);

        requests("housing", T0, 300, UnaryOperator.identity());
        closeWindowsBefore(T0.plus(TopologyFixture.WINDOW));

        assertThat(fixture.listener.baselinesRejected).containsExactly("housing@2:undecodable", "housing@3:undecodable");
        final DriftReport report = fixture.drift.readValue();
        assertThat(report.getBaselineVersion()).isEqualTo("1");
        assertThat(report.getStatus()).isEqualTo(DriftCalculator.OK);
    }

    @Test
    void shouldReportInsufficientDataForASmallWindow() {
        requests("housing", T0, (int) TopologyFixture.MIN_ROWS - 1, UnaryOperator.identity());
        closeWindowsBefore(T0.plus(TopologyFixture.WINDOW));

        final DriftReport report = fixture.drift.readValue();
        assertThat(report.getStatus()).isEqualTo(DriftCalculator.INSUFFICIENT_DATA);
        assertThat(report.getFeatures()).isNotEmpty().allSatisfy(feature -> assertThat(feature.getPValue()).isNull());
    }

    @Test
    void shouldReportAUnitWithoutBaselineAsSuch() {
        requests("elsewhere", T0, 50, UnaryOperator.identity());
        closeWindowsBefore(T0.plus(TopologyFixture.WINDOW));

        final Map<String, DriftReport> reports = fixture.drift.readKeyValuesToList().stream()
            .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
        assertThat(reports.get("seldon/elsewhere/v1/classifier").getStatus()).isEqualTo(DriftCalculator.NO_BASELINE);
    }
}
