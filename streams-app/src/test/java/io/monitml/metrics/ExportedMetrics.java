package io.monitml.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.monitml.avro.DriftReport;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.ModelUnit;
import io.monitml.avro.PredictionStats;
import io.monitml.http.IngestListener;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.Unit;

/**
 * The names of MonitML's own metrics as a scrape shows them: the application's metrics, fed one
 * event of each kind, scraped in Prometheus' text format. What the rules, the dashboards and the
 * documentation name must be among them.
 */
public final class ExportedMetrics {

    private static final Pattern METRIC = Pattern.compile("\\bmonitml_[a-z0-9_]+");

    private ExportedMetrics() {
    }

    /** The metric names (with Prometheus' suffixes, such as {@code _total}) of a scrape. */
    public static Set<String> names() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final MonitMlMetrics metrics = new MonitMlMetrics(registry);
        metrics.watchUnits(10);
        metrics.watchShedRequests(() -> 0);
        metrics.pipeline().unitsMonitored("prediction-statistics", "1_0", 3);
        metrics.pipeline().watermark("prediction-statistics", "1_0", 1_000);
        metrics.pipeline().refused("prediction-statistics", "flood", 2);
        final ModelUnit unit = new ModelUnit("seldon", "housing", "v1", "classifier");
        metrics.pipeline().recordIn("monitml.raw");
        metrics.pipeline().decoded("monitml.raw", "seldon-json", EventKind.RESPONSE, 1);
        metrics.pipeline().deadLettered("bad-json", "decode");
        metrics.pipeline().recordDropped("monitml.drift", "too-large");
        metrics.pipeline().late("feature-drift", 1);
        metrics.pipeline().paired();
        metrics.pipeline().unpaired("request");
        metrics.pipeline().duplicate("request");
        metrics.pipeline().pairingPending("1_0", 1);
        metrics.ingest().accepted("io.seldon.serving.inference.request");
        metrics.ingest().rejected(IngestListener.Reason.MALFORMED);
        metrics.pipeline().baselineRejected("housing@1", "undecodable");
        metrics.pipeline().featuresDropped(new Unit("seldon", "housing", "v1", "classifier"), 1);
        metrics.pipeline().predictionStatsClosed(PredictionStats.newBuilder().setUnit(unit).setWindowStart(Instant.EPOCH)
            .setWindowEnd(Instant.EPOCH.plusSeconds(60)).setCount(1).build());
        metrics.pipeline().driftReported(DriftReport.newBuilder().setUnit(unit).setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH.plusSeconds(60))
            .setStatus("OK").setFeatures(List.of(FeatureDrift.newBuilder().setName("rm").setKind(FeatureKind.NUMERIC).setCount(1).build()))
            .build());
        metrics.pipeline().labelOutcome("joined");
        metrics.pipeline().labelsWaiting("2_0", 1);
        metrics.pipeline().performanceReported(io.monitml.avro.PerformanceReport.newBuilder().setUnit(unit).setWindowStart(Instant.EPOCH)
            .setWindowEnd(Instant.EPOCH.plusSeconds(60)).setUpdatedAt(Instant.EPOCH.plusSeconds(90)).setPredicted(100)
            .setLabelled(io.monitml.config.Defaults.MIN_LABELS).build());
        final Set<String> names = new TreeSet<>();
        for (String line : registry.scrape().split("\n")) {
            final Matcher matcher = METRIC.matcher(line);
            if (!line.startsWith("#") && matcher.lookingAt()) {
                names.add(matcher.group());
            }
        }
        return names;
    }
}
