package io.monitml.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A short run of the end-to-end pipeline benchmark (BENCHMARKS.md), so that it cannot rot: a real
 * broker in its own JVM, a small pre-loaded input, the three readers, one and two application
 * instances, the label join on. It checks what the benchmark checks of itself (every window closed with
 * every response counted, nothing late, nothing dead-lettered, every label joined) and that the results file and the chart are written.
 * It asserts no speed: that is the benchmark's job, on a quiet machine.
 */
class PipelineBenchmarkIT {

    @TempDir
    Path work;

    @Test
    void smokeRunClosesEveryWindowAndWritesResultsAndChart() throws Exception {
        final Path output = work.resolve("results");
        final PipelineBenchmark.Report report = PipelineBenchmark.execute(new String[] {
            "--output-dir", output.toString(), "--work-dir", work.resolve("run").toString(), "--instances", "1,2",
            "--drift-repeats", "3", "2000"});

        assertThat(report.rows()).hasSize(2);
        for (PipelineBenchmark.Row row : report.rows()) {
            assertThat(row.records()).isEqualTo(4000);
            assertThat(row.windowsExpected()).isEqualTo(2 * PipelineBenchmark.WINDOWS);
            assertThat(row.complete()).as("windows %d/%d, responses %d/%d, late %d, dead letters %d", row.windowsSeen(),
                row.windowsExpected(), row.responsesCounted(), row.responsesExpected(), row.late(), row.deadLettered()).isTrue();
            assertThat(row.plainConsumer().recordsPerSecond()).isPositive();
            assertThat(row.jsonConsumer().recordsPerSecond()).isPositive();
            assertThat(row.pipeline().recordsPerSecond()).isPositive();
            assertThat(row.pipeline().peakHeapAfterGcBytes()).isPositive();
            assertThat(row.liveHeapBytes()).isPositive();
            assertThat(row.stateStoreBytes()).isPositive();
            assertThat(row.aggregateBytes()).isBetween(1L, 64L * 1024);
            assertThat(row.driftMillisMedian()).isPositive();
            assertThat(row.labelJoin()).isTrue();
            assertThat(row.labelsSent()).as("the demo's share of 2,000 inferences").isBetween(450L, 750L);
            assertThat(row.labelsJoined()).isEqualTo(row.labelsSent());
            assertThat(row.joinStoreBytes()).isPositive();
        }
        assertThat(report.rows()).extracting(PipelineBenchmark.Row::instances).containsExactly(1, 2);

        final JsonNode results = new ObjectMapper().readTree(report.results().toFile());
        assertThat(results.path("rows")).hasSize(2);
        assertThat(results.path("rows").get(1).path("pipeline").path("recordsPerSecond").asDouble()).isPositive();
        assertThat(results.path("machine").path("cores").asInt()).isPositive();

        final BufferedImage chart = ImageIO.read(report.chart().toFile());
        assertThat(chart.getWidth()).isGreaterThan(600);
        assertThat(chart.getHeight()).isGreaterThan(300);
    }
}
