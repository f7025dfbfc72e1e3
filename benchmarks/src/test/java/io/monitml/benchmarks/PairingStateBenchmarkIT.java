package io.monitml.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the pairing-state benchmark, so that it cannot rot: live traffic on a real broker
 * with a share of responses missing. It checks that the lone requests are held and then expired (the
 * store follows rate × wait, not the traffic so far) and that the results file is written; not speed.
 */
class PairingStateBenchmarkIT {

    @TempDir
    Path output;

    @Test
    void smokeRunHoldsLoneRequestsForTheWaitOnly() throws Exception {
        final List<PairingStateBenchmark.Run> runs = PairingStateBenchmark.execute(new String[] {
            "--rates", "300", "--seconds", "10", "--wait", "2s", "--missing", "0.2", "--output-dir", output.toString()});

        assertThat(runs).hasSize(1);
        final PairingStateBenchmark.Run run = runs.get(0);
        assertThat(run.sent()).isBetween(2_500L, 3_100L);
        assertThat(run.unanswered()).isPositive();
        final long most = run.samples().stream().mapToLong(PairingStateBenchmark.Sample::pending).max().orElse(0);
        assertThat(most).as("lone requests held while they wait").isPositive();
        assertThat(most).as("and expired after the wait: never all of them at once").isLessThan(run.unanswered());
        try (var files = Files.list(output)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.startsWith("pairing-state-") && name.endsWith(".json"));
        }
    }
}
