package io.monitml.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.monitml.avro.DriftReport;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.ModelUnit;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.EventKind;
import io.monitml.metrics.MonitMlMetrics;

/** Every MonitML metric the alert rules query is one the application exports. */
class RulesUseExportedMetricsTest {

    private static final Pattern METRIC = Pattern.compile("\\bmonitml_[a-z0-9_]+");

    /** The metric names in a scrape of the application's own metrics, fed one of each event. */
    static Set<String> exportedMetricNames() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final MonitMlMetrics metrics = new MonitMlMetrics(registry);
        metrics.watchUnits(10);
        metrics.unitsMonitored("prediction-statistics", "1_0", 3);
        metrics.refused("prediction-statistics", "flood", 2);
        final ModelUnit unit = new ModelUnit("seldon", "housing", "v1", "classifier");
        metrics.recordIn("monitml.raw");
        metrics.decoded("monitml.raw", "seldon-json", EventKind.RESPONSE, 1);
        metrics.deadLettered("bad-json", "decode");
        metrics.late("feature-drift");
        metrics.paired();
        metrics.unpaired("request");
        metrics.duplicate("request");
        metrics.accepted("io.seldon.serving.inference.request");
        metrics.rejected(io.monitml.http.IngestListener.Reason.MALFORMED);
        metrics.predictionStatsClosed(PredictionStats.newBuilder().setUnit(unit).setWindowStart(Instant.EPOCH)
            .setWindowEnd(Instant.EPOCH.plusSeconds(60)).setCount(1).build());
        metrics.driftReported(DriftReport.newBuilder().setUnit(unit).setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH.plusSeconds(60))
            .setStatus("OK").setFeatures(List.of(FeatureDrift.newBuilder().setName("rm").setKind(FeatureKind.NUMERIC).setCount(1).build()))
            .build());
        final Set<String> names = new TreeSet<>();
        for (String line : registry.scrape().split("\n")) {
            final Matcher matcher = METRIC.matcher(line);
            if (!line.startsWith("#") && matcher.lookingAt()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    static Set<String> referencedMetricNames(final Path file) throws IOException {
        final Set<String> names = new TreeSet<>();
        final Matcher matcher = METRIC.matcher(Files.readString(file));
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    @Test
    void shouldOnlyQueryMetricsTheApplicationExports() throws IOException {
        final Set<String> used = referencedMetricNames(Path.of("..", "deploy", "prometheus", "rules", "monitml.rules.yml"));

        assertThat(used).isNotEmpty();
        assertThat(exportedMetricNames()).containsAll(used);
    }
}
