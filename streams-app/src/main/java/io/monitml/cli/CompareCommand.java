package io.monitml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.monitml.baseline.CsvFile;
import io.monitml.compare.ColumnDrift;
import io.monitml.compare.DatasetComparison;
import io.monitml.stats.Correction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code monitml compare}: the pipeline's drift statistics on two CSV files. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare a current data set with a reference (e.g. a production dump with the training set), column by "
        + "column, with the statistics the pipeline uses: KS statistic and p-value and PSI for numeric columns, chi-square "
        + "and PSI for categorical ones, corrected across columns.",
        "Example: monitml compare --reference train.csv --current last-week.csv --format json"})
final class CompareCommand implements Callable<Integer> {

    static final int DRIFT_FOUND = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--reference", required = true, paramLabel = "CSV", description = "The reference data, with a header line.")
    Path reference;

    @Option(names = "--current", required = true, paramLabel = "CSV", description = "The data to compare with it.")
    Path current;

    @Option(names = "--categorical", split = ",", paramLabel = "COLUMN", description = "Columns to treat as categorical.")
    Set<String> categorical = new LinkedHashSet<>();

    @Option(names = "--exclude", split = ",", paramLabel = "COLUMN", description = "Columns to leave out.")
    Set<String> exclude = new LinkedHashSet<>();

    @Option(names = "--correction", defaultValue = "bonferroni", paramLabel = "bonferroni|fdr|none",
        description = "Multiple-testing correction across columns. Default: ${DEFAULT-VALUE}.")
    Correction correction;

    @Option(names = "--alpha", defaultValue = "0.05", paramLabel = "RATE", description = "Significance level. Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = "--psi-threshold", defaultValue = "0.25", paramLabel = "PSI",
        description = "PSI at or above which a column counts as drifted. Default: ${DEFAULT-VALUE}.")
    double psiThreshold;

    @Option(names = "--bins", defaultValue = "10", paramLabel = "N", description = "PSI bins (reference quantiles). Default: ${DEFAULT-VALUE}.")
    int bins;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json", description = "Output format. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--fail-on-drift", description = "Exit with 3 when a column drifted (for CI checks of a data set).")
    boolean failOnDrift;

    @Override
    public Integer call() throws IOException {
        final DatasetComparison.Result result = DatasetComparison.compare(CsvFile.open(reference), CsvFile.open(current),
            new DatasetComparison.Settings(categorical, exclude, correction, alpha, psiThreshold, bins));
        final PrintWriter out = spec.commandLine().getOut();
        if (format.equalsIgnoreCase("json")) {
            json(result, out);
        } else {
            table(result, out);
        }
        out.flush();
        final boolean drifted = result.columns().stream().anyMatch(ColumnDrift::drifted);
        return failOnDrift && drifted ? DRIFT_FOUND : 0;
    }

    private static void table(final DatasetComparison.Result result, final PrintWriter out) {
        out.printf(Locale.ROOT, "%-20s %-11s %-5s %10s %12s %8s  %s%n", "column", "kind", "test", "statistic", "p-value", "PSI", "drift");
        for (ColumnDrift column : result.columns()) {
            out.printf(Locale.ROOT, "%-20s %-11s %-5s %10.4f %12.4g %8.4f  %s%n", column.name(), column.kind(), column.test(),
                column.statistic(), column.pValue(), column.psi(), column.drifted() ? "DRIFT" : "-");
        }
        out.printf(Locale.ROOT, "%s correction: p-values below %.4g count as drift%n",
            result.correction().name().toLowerCase(Locale.ROOT), result.threshold());
    }

    private static void json(final DatasetComparison.Result result, final PrintWriter out) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField("correction", result.correction().name().toLowerCase(Locale.ROOT));
            json.writeNumberField("threshold", result.threshold());
            json.writeArrayFieldStart("columns");
            for (ColumnDrift column : result.columns()) {
                json.writeStartObject();
                json.writeStringField("name", column.name());
                json.writeStringField("kind", column.kind().name().toLowerCase(Locale.ROOT));
                json.writeNumberField("referenceCount", column.referenceCount());
                json.writeNumberField("currentCount", column.currentCount());
                json.writeNumberField("referenceMissing", column.referenceMissing());
                json.writeNumberField("currentMissing", column.currentMissing());
                json.writeStringField("test", column.test());
                writeNumber(json, "statistic", column.statistic());
                writeNumber(json, "pValue", column.pValue());
                writeNumber(json, "psi", column.psi());
                json.writeBooleanField("drifted", column.drifted());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.println();
    }

    /** JSON has no NaN: a statistic that could not be computed is null. */
    private static void writeNumber(final JsonGenerator json, final String name, final double value) throws IOException {
        if (Double.isFinite(value)) {
            json.writeNumberField(name, value);
        } else {
            json.writeNullField(name);
        }
    }
}
