package io.monitml.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.monitml.avro.ModelUnit;
import io.monitml.avro.PredictionStats;
import io.monitml.topology.PipelineListener;

/**
 * Prints each closed window as a compact table, one line per (model, variant): requests, mean,
 * min and max prediction. Windows of several units close together, so one heading serves them.
 */
final class ConsoleTable implements PipelineListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintStream out;
    private Instant lastHeading;

    ConsoleTable(final PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void predictionStatsClosed(final PredictionStats stats) {
        if (!stats.getWindowEnd().equals(lastHeading)) {
            lastHeading = stats.getWindowEnd();
            out.printf(Locale.ROOT, "%nwindow %s-%s%n%-34s %-8s %9s %12s %12s %12s%n",
                TIME.format(stats.getWindowStart()), TIME.format(stats.getWindowEnd()),
                "namespace/deployment/model", "variant", "requests", "mean", "min", "max");
        }
        final ModelUnit unit = stats.getUnit();
        out.printf(Locale.ROOT, "%-34s %-8s %9d %12s %12s %12s%n",
            unit.getNamespace() + "/" + unit.getDeployment() + "/" + unit.getModel(), unit.getVariant(),
            stats.getResponses(), number(stats.getMean()), number(stats.getMin()), number(stats.getMax()));
        out.flush();
    }

    private static String number(final Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%,.2f", value);
    }
}
