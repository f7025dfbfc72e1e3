package io.monitml.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.monitml.demo.BostonHousing;

/** The pipeline benchmark's results: the JSON file with the machine and the settings, and the table it prints. */
final class PipelineResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineResults() {
    }

    static Path write(final PipelineBenchmark.Options options, final List<PipelineBenchmark.Row> rows) throws IOException {
        final Path outputDir = options.outputDir();
        Files.createDirectories(outputDir);
        final String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        final Path file = outputDir.resolve("pipeline-" + stamp + ".json");
        final Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", Measure.machine());
        document.put("featuresPerRow", BostonHousing.load().featureNames().size());
        document.put("windowsPerVariant", PipelineBenchmark.WINDOWS);
        document.put("window", PipelineBenchmark.WINDOW.toString());
        document.put("grace", options.grace().toString());
        document.put("kafkaSettings", options.kafka());
        document.put("pairing", options.pairing());
        document.put("joinedRows", options.joinedRows());
        document.put("keyedByRequestId", options.keyed());
        document.put("labelShare", options.labelShare());
        document.put("labelHorizon", options.labelHorizon().toString());
        document.put("broker", options.bootstrapServers().isEmpty() ? "embedded KRaft broker in a separate JVM on this machine" : "external");
        document.put("rows", rows);
        JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document);
        return file;
    }

    static String table(final List<PipelineBenchmark.Row> rows) {
        final StringBuilder out = new StringBuilder(
            "inferences  records  inst  guarantee  join  (a) rec/s  (b) rec/s  (c) rec/s  c/a  c/b  windows  responses  labels joined"
            + "  heap(c) MiB  live MiB  cpu(c) s  broker cpu s  state MiB  join store MiB  aggregate B  drift ms\n");
        for (PipelineBenchmark.Row row : rows) {
            out.append(String.format("%,d  %,d  %d  %s  %s  %,.0f  %,.0f  %,.0f  %.2f  %.2f  %d/%d  %,d/%,d  %,d/%,d  %,.0f  %,.0f  %.1f  %.1f  %.1f"
                    + "  %.1f  %,d  %.2f%n",
                row.inferences(), row.records(), row.instances(), row.guarantee(), row.labelJoin() ? "on" : "off",
                row.plainConsumer().recordsPerSecond(),
                row.jsonConsumer().recordsPerSecond(), row.pipeline().recordsPerSecond(), row.pipelineOverPlain(),
                row.pipelineOverJson(), row.windowsSeen(), row.windowsExpected(), row.responsesCounted(), row.responsesExpected(),
                row.labelsJoined(), row.labelsSent(),
                row.pipeline().peakHeapBytes() / 1048576.0, row.liveHeapBytes() / 1048576.0, row.pipeline().cpuSeconds(), row.brokerCpuSeconds(),
                row.stateStoreBytes() / 1048576.0,
                row.joinStoreBytes() / 1048576.0, row.aggregateBytes(), row.driftMillisMedian()));
        }
        return out.toString();
    }
}
