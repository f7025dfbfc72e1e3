package io.monitml.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.monitml.metrics.ExportedMetrics;

/**
 * The Grafana dashboards in grafana/dashboards: valid against Grafana's dashboard schema, their
 * PromQL parses (grafana/tools/check-dashboards.mjs, which needs node, npm and promtool), and every
 * metric they query is one the application exports. Fails, does not skip, without node or npm.
 */
class GrafanaDashboardsTest {

    /** The tests run in streams-app/: the repository root is its parent. */
    private static final Path ROOT = Path.of("..");
    private static final Path TOOLS = ROOT.resolve("grafana/tools");
    private static final Path SCRIPT = TOOLS.resolve("check-dashboards.mjs");

    /** Metrics of Kafka's and the JVM's binders, which need a running Kafka Streams client to appear in a scrape. */
    static final Set<String> BINDER_METRICS = Set.of("kafka_consumer_fetch_manager_records_lag_max", "jvm_memory_used_bytes");

    private record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return "stdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static Result run(final long timeoutSeconds, final String... command) {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of(".").toFile());
        try {
            final Path out = Files.createTempFile("grafana-check", ".out");
            final Path err = Files.createTempFile("grafana-check", ".err");
            try {
                final Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("%s did not finish within %d s:%n%s", String.join(" ", command), timeoutSeconds,
                        Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (final IOException e) {
            return fail("cannot run %s (is it installed and on the PATH? test.sh must install node and npm): %s",
                String.join(" ", command), e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted running %s", String.join(" ", command));
        }
    }

    @BeforeAll
    static void installTools() {
        assertThat(SCRIPT).as("the dashboard check script").exists();
        final Result node = run(30, "node", "--version");
        assertThat(node.exitCode()).as("node --version%n%s", node.output()).isZero();
        if (!Files.isDirectory(TOOLS.resolve("node_modules"))) {
            final Result npm = run(30, "npm", "--version");
            assertThat(npm.exitCode()).as("npm --version%n%s", npm.output()).isZero();
            final Result install = run(600, "npm", "ci", "--no-audit", "--no-fund", "--prefix", TOOLS.toString());
            assertThat(install.exitCode()).as("npm ci --prefix %s%n%s", TOOLS, install.output()).isZero();
        }
    }

    @Test
    void dashboardsAreValidAndTheirPromqlParses() {
        final Result check = run(300, "node", SCRIPT.toString());
        assertThat(check.exitCode()).as("node %s%n%s", SCRIPT, check.output()).isZero();
        assertThat(check.stdout()).contains("OK: 3 dashboards");
    }

    @Test
    void dashboardsQueryOnlyMetricsTheApplicationExports() {
        final Result list = run(120, "node", SCRIPT.toString(), "--list-metrics");
        assertThat(list.exitCode()).as("node %s --list-metrics%n%s", SCRIPT, list.output()).isZero();
        final List<String> used = new ArrayList<>(Arrays.stream(list.stdout().split("\\R")).map(String::strip)
            .filter(line -> !line.isEmpty()).toList());
        assertThat(used).as("metric names the dashboards use").isNotEmpty();
        final Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(ExportedMetrics.names());
        unknown.removeAll(BINDER_METRICS);
        assertThat(unknown).as("metrics the dashboards query but the application does not export (all used: %s)", used)
            .isEmpty();
    }
}
