package io.monitml.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the pairing-state benchmark, so that it cannot rot: live traffic on a real broker
 * with a share of responses missing, at two rates. It checks that the lone requests are held and then
 * expired, that the store follows rate × share × wait (within the factor of two the benchmark's exit
 * code checks, and twice the rate about twice the entries), and that the results file is written;
 * not speed.
 */
class PairingStateBenchmarkIT {

    @TempDir
    Path output;

    @Test
    void smokeRunHoldsLoneRequestsForTheWaitOnlyInProportionToTheRate() throws Exception {
        final List<PairingStateBenchmark.Run> runs = PairingStateBenchmark.execute(new String[] {
            "--rates", "200,400", "--seconds", "10", "--wait", "2s", "--missing", "0.2", "--output-dir", output.toString()});

        assertThat(runs).hasSize(2);
        for (PairingStateBenchmark.Run run : runs) {
            assertThat(run.sent()).as("sent at %d/s", run.rate()).isBetween(run.rate() * 8L, run.rate() * 11L);
            assertThat(run.unanswered()).isPositive();
            final long most = run.samples().stream().mapToLong(PairingStateBenchmark.Sample::pending).max().orElse(0);
            assertThat(most).as("and expired after the wait: never all of them at once").isLessThan(run.unanswered());
            assertThat(run.expectedPending()).isEqualTo(Math.round(run.rate() * 0.2 * 2));
            assertThat(run.proportional()).as("steady pending %d within a factor of two of rate x share x wait %d (what the"
                + " benchmark's exit code checks)", run.steadyPending(), run.expectedPending()).isTrue();
        }
        final double ratio = (double) runs.get(1).steadyPending() / runs.get(0).steadyPending();
        assertThat(ratio).as("twice the rate, about twice the lone requests held").isBetween(1.4, 2.8);
        try (var files = Files.list(output)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.startsWith("pairing-state-") && name.endsWith(".json"));
        }
    }
}
