package io.monitml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.monitml.avro.DriftReport;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.ModelUnit;
import io.monitml.avro.PerformanceReport;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.EventKind;

class MonitMlMetricsTest {

    private final AtomicLong now = new AtomicLong(1_000_000L);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MonitMlMetrics metrics = new MonitMlMetrics(registry, now::get);

    private static PredictionStats stats(final String variant, final double mean) {
        return PredictionStats.newBuilder()
            .setUnit(new ModelUnit("seldon", "housing", variant, "classifier"))
            .setWindowStart(Instant.parse("2026-11-26T10:00:00Z")).setWindowEnd(Instant.parse("2026-11-26T10:01:00Z"))
            .setCount(100).setResponses(100).setMean(mean).setMin(mean).setMax(mean).setP50(mean).setP90(mean).setP99(mean)
            .setLatencyP50Millis(20.0).setLatencyP90Millis(35.0).setLatencyP99Millis(61.0)
            .build();
    }

    private static DriftReport drift(final String variant) {
        return DriftReport.newBuilder()
            .setUnit(new ModelUnit("seldon", "housing", variant, "classifier"))
            .setWindowStart(Instant.parse("2026-11-26T10:00:00Z")).setWindowEnd(Instant.parse("2026-11-26T10:01:00Z"))
            .setStatus("DRIFT").setDriftDetected(true).setCorrectedThreshold(0.05 / 12).setRows(100)
            .setFeatures(List.of(FeatureDrift.newBuilder().setName("rm").setKind(FeatureKind.NUMERIC).setCount(100)
                .setTest("ks").setStatistic(0.6).setPValue(1e-20).setPsi(2.2).setDrifted(true).build(),
                FeatureDrift.newBuilder().setName("lstat").setKind(FeatureKind.NUMERIC).setCount(100)
                .setTest("ks").setStatistic(0.1).setPValue(0.2).setPsi(0.14).setWatched(true).build()))
            .build();
    }

    private void feed() {
        metrics.pipeline().recordIn("monitml.raw");
        metrics.pipeline().decoded("monitml.raw", "seldon-json", EventKind.RESPONSE, 1);
        metrics.pipeline().deadLettered("bad-json", "decode");
        metrics.pipeline().late("feature-drift");
        metrics.pipeline().predictionStatsClosed(stats("v1", 22_000));
        metrics.pipeline().predictionStatsClosed(stats("v2", 100));
        metrics.pipeline().driftReported(drift("v1"));
    }

    @Test
    void shouldExportTheWindowsAndFeaturesWithTheUnitsLabels() {
        feed();

        final String scrape = registry.scrape();

        assertThat(scrape).contains(
            "monitml_prediction_mean{deployment=\"housing\",model=\"classifier\",namespace=\"seldon\",variant=\"v2\"} 100.0",
            "monitml_feature_psi{deployment=\"housing\",feature=\"rm\",model=\"classifier\",namespace=\"seldon\",variant=\"v1\"} 2.2",
            "monitml_feature_watched{deployment=\"housing\",feature=\"lstat\",model=\"classifier\",namespace=\"seldon\",variant=\"v1\"} 1.0",
            "monitml_feature_watched{deployment=\"housing\",feature=\"rm\",model=\"classifier\",namespace=\"seldon\",variant=\"v1\"} 0.0",
            "monitml_drift_detected{deployment=\"housing\",model=\"classifier\",namespace=\"seldon\",variant=\"v1\"} 1.0",
            "monitml_records_dead_lettered_total{reason=\"bad-json\",stage=\"decode\"} 1.0",
            "monitml_records_late_total{aggregation=\"feature-drift\"} 1.0",
            "monitml_last_window_closed_seconds 1000.0",
            "monitml_window_closed_seconds{deployment=\"housing\",model=\"classifier\",namespace=\"seldon\",variant=\"v2\"} 1000.0",
            "monitml_latency_p50_seconds{deployment=\"housing\",model=\"classifier\",namespace=\"seldon\",variant=\"v1\"} 0.02",
            "monitml_latency_p99_seconds{deployment=\"housing\",model=\"classifier\",namespace=\"seldon\",variant=\"v1\"} 0.061");
    }

    private static PerformanceReport performance(final String start, final long labelled, final double mae) {
        final Instant windowStart = Instant.parse(start);
        return PerformanceReport.newBuilder()
            .setUnit(new ModelUnit("seldon", "housing", "v2", "classifier"))
            .setWindowStart(windowStart).setWindowEnd(windowStart.plusSeconds(60)).setUpdatedAt(windowStart.plusSeconds(90))
            .setPredicted(100).setLabelled(labelled).setCoverage(labelled / 100.0).setMae(mae).setMaeStandardError(mae / 10)
            .setRmse(mae * 1.1).setBias(-mae).setR2(-3.5).setLabelLagP50Millis(30_000.0).setLabelLagP99Millis(59_000.0)
            .build();
    }

    @Test
    void shouldExportTheRealizedPerformanceOfTheLatestWindowWithEnoughLabels() {
        metrics.watchPerformance(30);
        metrics.pipeline().performanceReported(performance("2026-11-26T10:00:00Z", 12, 5.0));
        assertThat(registry.scrape()).as("12 labels are too few").doesNotContain("monitml_realized_mae{");

        metrics.pipeline().performanceReported(performance("2026-11-26T10:01:00Z", 31, 24_900.0));
        // A late label for an earlier window that now has enough does not hide the later window's figures.
        metrics.pipeline().performanceReported(performance("2026-11-26T10:00:00Z", 40, 7.0));
        metrics.pipeline().labelOutcome("joined");
        metrics.pipeline().labelOutcome("unknown");
        metrics.pipeline().labelsWaiting("2_0", 3);

        final String unit = "{deployment=\"housing\",model=\"classifier\",namespace=\"seldon\",variant=\"v2\"}";
        assertThat(registry.scrape()).contains(
            "monitml_realized_mae" + unit + " 24900.0",
            "monitml_realized_mae_standard_error" + unit + " 2490.0",
            "monitml_labelled_predictions" + unit + " 31.0",
            "monitml_label_coverage" + unit + " 0.31",
            "monitml_label_lag_p50_seconds" + unit + " 30.0",
            "monitml_realized_r2" + unit + " -3.5",
            "monitml_realized_window_start_seconds" + unit + " " + (double) Instant.parse("2026-11-26T10:01:00Z").getEpochSecond(),
            "monitml_labels_total{outcome=\"joined\"} 1.0",
            "monitml_labels_total{outcome=\"duplicate\"} 0.0",
            "monitml_labels_waiting 3.0");
    }

    @Test
    void shouldExportTheRecordsNeitherDecodedNorDeadLetteredAtTheDecodeStage() {
        assertThat(registry.scrape()).contains("monitml_records_unaccounted 0.0");
        for (int i = 0; i < 3; i++) {
            metrics.pipeline().recordIn("monitml.raw");
        }
        metrics.pipeline().decoded("monitml.raw", "seldon-json", EventKind.REQUEST, 1);
        metrics.pipeline().deadLettered("bad-json", "decode");
        // A record that failed later, in an aggregation, was decoded first: it does not account for an input record.
        metrics.pipeline().deadLettered("internal-error", "process");

        assertThat(registry.scrape()).contains("monitml_records_unaccounted 1.0");

        metrics.pipeline().deadLettered("unknown-format", "decode");
        assertThat(registry.scrape()).contains("monitml_records_unaccounted 0.0");
    }

    @Test
    void shouldExportCountersWithKnownLabelsAtZeroBeforeAnythingHappens() {
        final String scrape = registry.scrape();

        assertThat(scrape).contains(
            "monitml_records_late_total{aggregation=\"latency\"} 0.0",
            "monitml_ingest_rejected_total{reason=\"too-large\"} 0.0",
            "monitml_pairing_unpaired_total{side=\"request\"} 0.0",
            "monitml_ingest_events_total{kind=\"request\",outcome=\"accepted\"} 0.0");
    }

    @Test
    void shouldRemoveTheSeriesOfAUnitThatStoppedSending() {
        feed();
        now.addAndGet(Duration.ofMinutes(9).toMillis());
        metrics.pipeline().predictionStatsClosed(stats("v1", 22_500));
        now.addAndGet(Duration.ofMinutes(2).toMillis());

        final int expired = metrics.expireIdleUnits(Duration.ofMinutes(10));

        final String scrape = registry.scrape();
        assertThat(expired).isEqualTo(1);
        assertThat(scrape).doesNotContain("variant=\"v2\"").contains("variant=\"v1\"");
        assertThat(scrape).as("v1's drift series stay with v1").contains("monitml_feature_psi{");
    }

    @Test
    void shouldBoundTheFeatureSeriesAndCountWhatItRefuses() {
        final List<FeatureDrift> features = new java.util.ArrayList<>();
        for (int i = 0; i < MonitMlMetrics.MAX_FEATURE_SERIES_PER_UNIT + 50; i++) {
            features.add(FeatureDrift.newBuilder().setName("f" + i).setKind(FeatureKind.NUMERIC).setCount(100).setPsi(0.01).build());
        }
        final DriftReport wide = drift("wide");
        wide.setFeatures(features);
        wide.setDroppedFeatures(150_272L);
        metrics.pipeline().driftReported(wide);
        metrics.pipeline().driftReported(wide);

        final String scrape = registry.scrape();
        assertThat(scrape.lines().filter(line -> line.startsWith("monitml_feature_psi{"))).hasSize(MonitMlMetrics.MAX_FEATURE_SERIES_PER_UNIT);
        assertThat(scrape).contains("monitml_metrics_feature_series_refused_total 100.0",
            "monitml_features_dropped_last{deployment=\"housing\",model=\"classifier\",namespace=\"seldon\",variant=\"wide\"} 150272.0");
    }

    @Test
    void shouldCountDroppedColumnsPerUnitAndRemoveThemWithTheUnit() {
        metrics.pipeline().featuresDropped(new io.monitml.ingest.Unit("seldon", "images", "v1", "resnet"), 150_272);
        metrics.pipeline().featuresDropped(new io.monitml.ingest.Unit("seldon", "images", "v1", "resnet"), 10);
        assertThat(registry.scrape()).contains(
            "monitml_features_dropped_total{deployment=\"images\",model=\"resnet\",namespace=\"seldon\",variant=\"v1\"} 150282.0");

        now.addAndGet(Duration.ofMinutes(11).toMillis());
        assertThat(metrics.expireIdleUnits(Duration.ofMinutes(10))).isEqualTo(1);
        assertThat(registry.scrape()).doesNotContain("images");
    }

    @Test
    void shouldPassPromtoolsMetricsLint() throws IOException, InterruptedException {
        feed();
        new JvmMemoryMetrics().bindTo(registry);
        final Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(registry.scrape().getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        final String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue()).as(output).isZero();
        assertThat(output).as("promtool's findings").isBlank();
    }
}
