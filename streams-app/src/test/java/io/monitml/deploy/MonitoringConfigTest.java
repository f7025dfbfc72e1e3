package io.monitml.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Checks the monitoring configuration under {@code deploy/} with the tools that load it: the
 * Prometheus configuration and alert rules with {@code promtool} (including the rules' unit tests)
 * and the Alertmanager configuration and its templates with {@code amtool}. Missing tools fail the
 * test (the repository's {@code test.sh} installs them); they do not skip it.
 */
class MonitoringConfigTest {

    /** The tests run in the Maven module's directory, {@code streams-app/}. */
    private static final Path DEPLOY = Paths.get("..", "deploy");

    @Test
    void prometheusConfigIsValid() throws Exception {
        run("promtool", "check", "config", DEPLOY.resolve("prometheus/prometheus.yml").toString());
    }

    @Test
    void alertRulesAreValid() throws Exception {
        run("promtool", "check", "rules", DEPLOY.resolve("prometheus/rules/monitml.rules.yml").toString());
    }

    @Test
    void alertRulesPassTheirUnitTests() throws Exception {
        run("promtool", "test", "rules", DEPLOY.resolve("prometheus/tests/monitml.rules.test.yml").toString());
    }

    @Test
    void alertmanagerConfigAndTemplatesAreValid() throws Exception {
        String output = run("amtool", "check-config", DEPLOY.resolve("alertmanager/alertmanager.yml").toString());
        assertThat(output).as("amtool should have loaded the Slack template:%n%s", output).contains("1 templates");
    }

    private static String run(String tool, String... arguments) throws IOException, InterruptedException {
        Path executable = findOnPath(tool);
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("%s did not finish within 2 minutes", String.join(" ", command));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue())
            .as("%s (in %s) exited with %d:%n%s", String.join(" ", command),
                Paths.get("").toAbsolutePath(), process.exitValue(), output)
            .isZero();
        return output;
    }

    private static Path findOnPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(directory, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("'%s' is not on the PATH (%s). Install it (Debian: apt-get install %s) or run the "
                + "repository's test.sh, which installs it.", tool, path,
            tool.equals("promtool") ? "prometheus" : "prometheus-alertmanager");
    }
}
