package io.monitml.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A short run of the HTTP ingest benchmark (benchmarks/ingest.sh), so that it cannot rot: the broker
 * and one MonitML instance in JVMs of their own, a few senders, a second of warm-up, two paced phases
 * at low rates and an unpaced one of two seconds each. It checks the benchmark's accounting (every
 * event answered 202, each on the raw topic once and decoded by the pipeline) and that the results
 * file is written. It asserts no speed: that is the benchmark's job, on a quiet machine.
 */
class IngestBenchmarkIT {

    @TempDir
    Path work;

    @Test
    void smokeRunAccountsForEveryEventAndWritesResults() throws Exception {
        final IngestBenchmark.Report report = IngestBenchmark.execute(new String[] {
            "--output-dir", work.resolve("results").toString(), "--work-dir", work.resolve("run").toString(),
            "--senders", "4", "--rates", "100,300", "--warmup", "1s", "--phase", "2s", "--monitml-java-opts", "-Xmx512m"});

        assertThat(report.phases()).extracting(IngestBenchmark.Phase::name).containsExactly("paced-100", "paced-300", "unpaced");
        for (IngestBenchmark.Phase phase : report.phases()) {
            assertThat(phase.sent()).as(phase.name()).isPositive();
            assertThat(phase.accepted()).as(phase.name()).isEqualTo(phase.sent());
            assertThat(phase.otherStatuses()).as(phase.name()).isEmpty();
            assertThat(phase.failedExchanges()).as(phase.name()).isZero();
            assertThat(phase.p99Millis()).as(phase.name()).isPositive();
            assertThat(phase.monitmlCpuSeconds()).as(phase.name()).isPositive();
        }
        final IngestBenchmark.Accounting accounting = report.accounting();
        assertThat(accounting.complete()).as(accounting.toString()).isTrue();
        assertThat(accounting.rawRecords()).isEqualTo(accounting.accepted());
        assertThat(accounting.decoded()).isEqualTo(accounting.accepted());

        final JsonNode results = new ObjectMapper().readTree(report.results().toFile());
        assertThat(results.path("phases")).hasSize(3);
        assertThat(results.path("accounting").path("complete").asBoolean()).isTrue();
        assertThat(results.path("machine").path("cores").asInt()).isPositive();
    }
}
