package io.monitml.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.monitml.avro.DriftReport;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.ModelUnit;
import io.monitml.avro.PerformanceReport;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.Unit;
import io.monitml.topology.PipelineListener;

/**
 * Prints each closed window as a compact table, one line per (model, variant): requests, mean,
 * min and max prediction, and under it the realized error of the unit's newest window with enough
 * labels. Windows of several units close together, so one heading serves them.
 */
final class ConsoleTable implements PipelineListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintStream out;
    private final long minLabels;
    /** Per unit, the newest window with at least {@link #minLabels} labels: labels come later than the predictions they judge. */
    private final Map<String, PerformanceReport> performance = new HashMap<>();
    private Instant lastHeading;

    /** @param minLabels the labels a window needs before its realized error is printed ({@code --min-labels}) */
    ConsoleTable(final PrintStream out, final long minLabels) {
        this.out = out;
        this.minLabels = minLabels;
    }

    @Override
    public synchronized void performanceReported(final PerformanceReport report) {
        if (report.getLabelled() >= minLabels) {
            performance.merge(Unit.fromAvro(report.getUnit()).key(), report,
                (held, update) -> update.getWindowStart().isBefore(held.getWindowStart()) ? held : update);
        }
    }

    @Override
    public synchronized void predictionStatsClosed(final PredictionStats stats) {
        heading(stats.getWindowStart(), stats.getWindowEnd());
        final ModelUnit unit = stats.getUnit();
        out.printf(Locale.ROOT, "%-34s %-8s %9d %12s %12s %12s  %s%n",
            unit.getNamespace() + "/" + unit.getDeployment() + "/" + unit.getModel(), unit.getVariant(),
            stats.getResponses(), number(stats.getMean()), number(stats.getMin()), number(stats.getMax()), verdict(stats.getDrift()));
        final PerformanceReport truth = performance.get(Unit.fromAvro(unit).key());
        if (truth != null) {
            out.printf(Locale.ROOT, "  truth %-8s MAE %s ± %s (%d labels, %.0f%% of window %s, lag p50 %.0f s)%n", unit.getVariant(),
                number(truth.getMae()), number(truth.getMaeStandardError()), truth.getLabelled(),
                truth.getCoverage() == null ? Double.NaN : 100 * truth.getCoverage(), TIME.format(truth.getWindowStart()),
                truth.getLabelLagP50Millis() == null ? Double.NaN : truth.getLabelLagP50Millis() / 1000);
        }
        out.flush();
    }

    /** One line per unit under its window's table: the drift verdict and, when drifted, which features and why. */
    @Override
    public synchronized void driftReported(final DriftReport report) {
        heading(report.getWindowStart(), report.getWindowEnd());
        final ModelUnit unit = report.getUnit();
        final String features = report.getFeatures().stream()
            .filter(FeatureDrift::getDrifted)
            .map(f -> String.format(Locale.ROOT, "%s (%s %.2g, PSI %.2f)", f.getName(),
                "ks".equals(f.getTest()) ? "KS p" : "chi2 p", f.getPValue() == null ? Double.NaN : f.getPValue(),
                f.getPsi() == null ? Double.NaN : f.getPsi()))
            .collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "  drift %-8s %-18s %s%n", unit.getVariant(), report.getStatus(), features);
        out.flush();
    }

    private static String verdict(final FeatureDrift drift) {
        if (drift == null || drift.getPValue() == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%s (KS D %.2f, p %.2g, PSI %.2f)", drift.getDrifted() ? "DRIFT" : "OK",
            drift.getStatistic(), drift.getPValue(), drift.getPsi());
    }

    /** Statistics and drift of several units close together: one heading serves a window. */
    private void heading(final Instant start, final Instant end) {
        if (!end.equals(lastHeading)) {
            lastHeading = end;
            out.printf(Locale.ROOT, "%nwindow %s-%s%n%-34s %-8s %9s %12s %12s %12s  %s%n", TIME.format(start), TIME.format(end),
                "namespace/deployment/model", "variant", "requests", "mean", "min", "max", "predictions vs baseline");
        }
    }

    private static String number(final Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%,.2f", value);
    }
}
