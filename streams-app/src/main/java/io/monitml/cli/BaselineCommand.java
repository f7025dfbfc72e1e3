package io.monitml.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.monitml.avro.FeatureBaseline;
import io.monitml.avro.TrainingBaseline;
import io.monitml.baseline.BaselineBuilder;
import io.monitml.baseline.BaselinePublisher;
import io.monitml.baseline.BaselineSpec;
import io.monitml.baseline.CsvFile;
import io.monitml.config.Topics;
import io.monitml.serde.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code monitml baseline}: summarises a model's training data into a baseline and publishes it. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
    description = {"Build the training baseline of a model version from a CSV file with a header, and publish it to the "
        + "baselines topic (the running pipeline picks it up without a restart) and/or write it to a file.",
        "Example: monitml baseline --data train.csv --deployment housing --version 1 --target medv --output housing-1.json"})
final class BaselineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "CSV", description = "The training data, with a header line.")
    Path data;

    @Option(names = "--deployment", required = true, paramLabel = "NAME", description = "The deployment (or Seldon v2 model) it applies to.")
    String deployment;

    @Option(names = "--model", paramLabel = "NAME", description = "The model (graph node) it applies to; default: every model of the deployment.")
    String model;

    @Option(names = "--version", required = true, paramLabel = "VERSION", description = "The model version trained on this data.")
    String version;

    @Option(names = "--target", paramLabel = "COLUMN", description = "The target or prediction column: its distribution is the prediction baseline.")
    String target;

    @Option(names = "--categorical", split = ",", paramLabel = "COLUMN", description = "Columns to treat as categorical (comma-separated).")
    Set<String> categorical = new LinkedHashSet<>();

    @Option(names = "--numeric", split = ",", paramLabel = "COLUMN", description = "Columns to treat as numeric.")
    Set<String> numeric = new LinkedHashSet<>();

    @Option(names = "--exclude", split = ",", paramLabel = "COLUMN", description = "Columns to leave out (ids, timestamps).")
    Set<String> exclude = new LinkedHashSet<>();

    @Option(names = "--bins", defaultValue = "" + BaselineSpec.DEFAULT_BINS, paramLabel = "N",
        description = "PSI bins per numeric feature (quantile bins). Default: ${DEFAULT-VALUE}.")
    int bins;

    @Option(names = "--top-categories", defaultValue = "" + BaselineSpec.DEFAULT_TOP_CATEGORIES, paramLabel = "N",
        description = "Categories kept per categorical feature; the rest count as other. Default: ${DEFAULT-VALUE}.")
    int topCategories;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the baseline to this file (Avro JSON).")
    Path output;

    @Option(names = "--publish", arity = "1", defaultValue = "true", paramLabel = "true|false",
        description = "Publish to the baselines topic. Default: ${DEFAULT-VALUE}.")
    boolean publish;

    @Mixin
    ProducerOptions kafka;

    @Option(names = "--schema-registry-url", paramLabel = "URL", defaultValue = "${env:MONITML_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
        description = "Schema registry (env MONITML_SCHEMA_REGISTRY_URL). Default: ${DEFAULT-VALUE}.")
    String schemaRegistryUrl;

    @Option(names = "--schema-registry-user-info", paramLabel = "USER:PASSWORD", defaultValue = "${env:MONITML_SCHEMA_REGISTRY_USER_INFO}",
        description = "Basic-auth credentials for the schema registry (env MONITML_SCHEMA_REGISTRY_USER_INFO).")
    String schemaRegistryUserInfo;

    @Option(names = "--baselines-topic", paramLabel = "TOPIC", defaultValue = "${env:MONITML_BASELINES_TOPIC:-" + Topics.DEFAULT_BASELINES + "}",
        description = "The compacted baselines topic (env MONITML_BASELINES_TOPIC). Default: ${DEFAULT-VALUE}.")
    String baselinesTopic;

    @Override
    public Integer call() throws IOException {
        final BaselineSpec baselineSpec = new BaselineSpec(deployment, model, version, target, categorical, numeric, exclude,
            bins, topCategories, BaselineSpec.DEFAULT_SKETCH_K);
        final TrainingBaseline baseline = new BaselineBuilder(baselineSpec).build(CsvFile.open(data), data.getFileName().toString(),
            Instant.now());
        final PrintWriter out = spec.commandLine().getOut();
        describe(baseline, out);
        if (output != null) {
            write(baseline, output);
            out.printf("written to %s%n", output);
        }
        if (publish) {
            final SchemaRegistryClient registry = new SchemaRegistryClient(schemaRegistryUrl, schemaRegistryUserInfo);
            final RecordMetadata published = BaselinePublisher.publish(kafka.bootstrapServers, kafka.settings(), registry,
                baselinesTopic, baselineSpec.key(), baseline);
            out.printf("published to %s-%d@%d as %s%n", published.topic(), published.partition(), published.offset(), baselineSpec.key());
        }
        out.flush();
        return 0;
    }

    private static void describe(final TrainingBaseline baseline, final PrintWriter out) {
        out.printf("baseline %s %s version %s: %d rows%n", baseline.getDeployment(),
            baseline.getModel() == null ? "(all models)" : baseline.getModel(), baseline.getModelVersion(), baseline.getRowCount());
        for (FeatureBaseline feature : baseline.getFeatures()) {
            out.printf("  %-20s %-11s missing %5.1f%%  %s%n", feature.getName(), feature.getKind(),
                100.0 * feature.getMissingCount() / Math.max(1, baseline.getRowCount()),
                feature.getBinEdges().isEmpty() ? feature.getCategories().size() + " categories" : feature.getBinEdges().size() + 1 + " bins");
        }
        if (baseline.getTarget() != null) {
            out.printf("  target %s%n", baseline.getTarget().getName());
        }
    }

    private static void write(final TrainingBaseline baseline, final Path file) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file)) {
            final JsonEncoder encoder = EncoderFactory.get().jsonEncoder(TrainingBaseline.getClassSchema(), stream, true);
            new SpecificDatumWriter<>(TrainingBaseline.class).write(baseline, encoder);
            encoder.flush();
        }
    }
}
