package io.monitml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.monitml.config.Topics;
import io.monitml.ingest.LabelJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code monitml labels}: publishes a file of labels to the labels topic, all or nothing as far as checking goes. */
@Command(name = "labels", mixinStandardHelpOptions = true,
    description = {"Publish the truths of predictions from a file to the labels topic, keyed by request id: the running pipeline joins "
        + "each to the prediction it judges and reports the realized performance per unit and window.",
        "CSV with a header naming requestId, truth and optionally time (ISO-8601 or epoch ms; empty: now), or JSON lines (.jsonl, "
            + ".ndjson) of {\"requestId\", \"truth\", \"time\"?}. The whole file is checked before anything is sent.",
        "Example: monitml labels --file labels.csv --bootstrap-servers kafka:9092"})
final class LabelsCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The labels: CSV, or JSON lines (.jsonl, .ndjson).")
    Path file;

    @Mixin
    ProducerOptions kafka;

    @Option(names = "--labels-topic", paramLabel = "TOPIC", defaultValue = "${env:MONITML_LABELS_TOPIC:-" + Topics.DEFAULT_LABELS + "}",
        description = "The labels topic (env MONITML_LABELS_TOPIC). Default: ${DEFAULT-VALUE}.")
    String labelsTopic;

    @Override
    public Integer call() throws IOException {
        final PrintWriter out = spec.commandLine().getOut();
        final LabelFile labels = new LabelFile(file, System.currentTimeMillis());
        final AtomicLong checked = new AtomicLong();
        labels.forEach(label -> checked.incrementAndGet());
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        settings.putAll(kafka.settings());
        final AtomicLong written = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            labels.forEach(label -> producer.send(new ProducerRecord<>(labelsTopic, label.requestId().getBytes(StandardCharsets.UTF_8),
                LabelJson.write(label)), (metadata, exception) -> {
                    if (exception == null) {
                        written.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, exception);
                    }
                }));
            producer.flush();
        }
        if (failure.get() != null) {
            spec.commandLine().getErr().printf("%d of %d labels were written to %s; the others failed: %s%n", written.get(), checked.get(),
                labelsTopic, failure.get().getMessage());
            return 1;
        }
        out.printf("published %d labels from %s to %s%n", written.get(), file, labelsTopic);
        out.flush();
        return 0;
    }
}
