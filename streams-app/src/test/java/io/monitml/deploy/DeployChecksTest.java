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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Kubernetes deployment under {@code deploy/}, checked offline with the tools that read it:
 * the Helm chart linted ({@code helm lint --strict}) and rendered with its default values and each
 * {@code ci/*.yaml}, every rendered manifest validated against the Kubernetes schemas (and for
 * unknown fields), the PrometheusRule compared with the rules file it is made from, the dashboards
 * with theirs; the Strimzi, Seldon and Knative manifests; the kube-prometheus-stack values against
 * the Alertmanager configuration they carry; yamllint on every YAML file and shellcheck on every
 * shell script of the repository. The chart's NetworkPolicy is looked at here, in the objects
 * {@code check.mjs render} prints: who may reach the HTTP port, by default and as configured. The
 * checks themselves are {@code deploy/tools/check.mjs}; helm
 * comes from an npm package ({@code deploy/tools/install.mjs}). Missing tools fail the test
 * (test.sh installs node, npm, unzip, yamllint and shellcheck); nothing is skipped.
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
            return fail("cannot run %s (is %s installed and on the PATH? test.sh installs node, npm, unzip, yamllint and shellcheck): %s",
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
        assertThat(check.output()).contains("OK: chart deploy/helm/monitml", "OK: values.yaml config has one key per MONITML_* setting")
            .containsPattern("manifests validated \\([^)]*\\bNetworkPolicy\\b");
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

    @Test
    void checkFailsOnAMisspeltFieldOfTheNetworkPolicy(@TempDir final Path temp) throws IOException {
        final Path chart = copyChart(temp);
        try {
            replaceIn(chart.resolve("templates/networkpolicy.yaml"), "  policyTypes:", "  policyType:");
            final Result check = run(ROOT, 300, "node", CHECK.toString(), "chart", "--chart", chart.toString());
            assertThat(check.exitCode()).as("the check of a chart with a misspelt NetworkPolicy field:%n%s", check.output())
                .isEqualTo(1);
            assertThat(check.output()).contains("NetworkPolicy/monitml.spec.policyType: unknown field");
        } finally {
            removeSymlinks(chart);
        }
    }

    // --- the NetworkPolicy: who may reach the HTTP port --------------------------------------------

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HTTP_PORT = 8080;

    private static JsonNode json(final String text) {
        try {
            return JSON.readTree(text);
        } catch (final IOException e) {
            return fail("not JSON: %s (%s)", text, e.getMessage());
        }
    }

    /** The chart's objects as helm template renders them with these arguments (release monitml, namespace monitml). */
    private static JsonNode render(final Path chart, final String... helmArgs) {
        final List<String> command = new ArrayList<>(List.of("node", CHECK.toString(), "render", "--chart", chart.toString()));
        command.addAll(List.of(helmArgs));
        final Result rendered = runOk(ROOT, 120, command.toArray(String[]::new));
        final String output = rendered.output();
        // helm logs the symlinks it follows on stderr, which run() mixes in: the JSON is the line that starts with '['.
        return json(output.lines().filter(line -> line.startsWith("[")).findFirst()
            .orElseGet(() -> fail("no JSON in the output of %s:%n%s", String.join(" ", command), output)));
    }

    private static List<JsonNode> ofKind(final JsonNode objects, final String kind) {
        final List<JsonNode> found = new ArrayList<>();
        objects.forEach(object -> {
            if (kind.equals(object.path("kind").asText())) {
                found.add(object);
            }
        });
        return found;
    }

    /** The pods' selector labels, as a NetworkPolicy peer in the policy's own namespace: the other MonitML instances. */
    private static JsonNode replicasPeer(final JsonNode objects) {
        final JsonNode selector = ofKind(objects, "StatefulSet").get(0).path("spec").path("selector");
        return JSON.createArrayNode().add(JSON.createObjectNode().set("podSelector", selector));
    }

    private static final JsonNode DEFAULT_SELDON = json("""
        [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "seldon"}}}]""");
    private static final JsonNode DEFAULT_PROMETHEUS = json("""
        [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
          "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}}}]""");
    private static final JsonNode DEFAULT_API_CLIENTS = json("""
        [{"podSelector": {"matchLabels": {"monitml.io/api-client": "true"}}}]""");

    /** The ingress the default values ask for, by who it is for: the peers of each rule. */
    private static Map<String, JsonNode> defaultIngress(final JsonNode objects) {
        final Map<String, JsonNode> expected = new LinkedHashMap<>();
        expected.put("the other replicas", replicasPeer(objects));
        expected.put("Seldon's namespaces", DEFAULT_SELDON);
        expected.put("Prometheus", DEFAULT_PROMETHEUS);
        expected.put("the API clients", DEFAULT_API_CLIENTS);
        return expected;
    }

    /**
     * What is wrong with the one NetworkPolicy of a rendering: it must select the StatefulSet's pods,
     * have exactly one ingress rule per entry of {@code ingress}, whose peers are that entry's, each on
     * TCP {@code port} only, and no rule that admits everyone (no peers) or every port. Without
     * {@code egress} the policy restricts ingress only.
     */
    private static List<String> networkPolicyProblems(final JsonNode objects, final int port, final Map<String, JsonNode> ingress,
                                                      final Map<String, JsonNode> egress) {
        final List<String> problems = new ArrayList<>();
        final List<JsonNode> policies = ofKind(objects, "NetworkPolicy");
        if (policies.size() != 1) {
            problems.add("expected one NetworkPolicy, found " + policies.size());
            return problems;
        }
        final JsonNode spec = policies.get(0).path("spec");
        final JsonNode selector = ofKind(objects, "StatefulSet").get(0).path("spec").path("selector");
        if (!spec.path("podSelector").equals(selector)) {
            problems.add("the NetworkPolicy selects " + spec.path("podSelector") + ", the StatefulSet's pods are " + selector);
        }
        final JsonNode onePort = json("[{\"protocol\": \"TCP\", \"port\": " + port + "}]");
        final List<JsonNode> unmatched = new ArrayList<>();
        spec.path("ingress").forEach(unmatched::add);
        for (final JsonNode rule : unmatched) {
            if (rule.path("from").isEmpty()) {
                problems.add("an ingress rule without `from` admits every pod and address: " + rule);
            }
            if (!rule.path("ports").equals(onePort)) {
                problems.add("an ingress rule is not on TCP port " + port + " only: " + rule);
            }
        }
        for (final Map.Entry<String, JsonNode> wanted : ingress.entrySet()) {
            final JsonNode rule = unmatched.stream().filter(r -> r.path("from").equals(wanted.getValue())).findFirst().orElse(null);
            if (rule == null) {
                problems.add("no ingress rule admits " + wanted.getKey() + " " + wanted.getValue());
            } else {
                unmatched.remove(rule);
            }
        }
        unmatched.forEach(rule -> problems.add("an ingress rule the values do not ask for: " + rule));

        final List<String> types = new ArrayList<>();
        spec.path("policyTypes").forEach(type -> types.add(type.asText()));
        if (egress.isEmpty()) {
            if (!types.equals(List.of("Ingress")) || spec.has("egress")) {
                problems.add("egress is restricted (policyTypes " + types + "), the values leave it open");
            }
            return problems;
        }
        if (!types.equals(List.of("Ingress", "Egress"))) {
            problems.add("policyTypes " + types + ", expected [Ingress, Egress]");
        }
        final List<JsonNode> rules = new ArrayList<>();
        spec.path("egress").forEach(rules::add);
        for (final Map.Entry<String, JsonNode> wanted : egress.entrySet()) {
            if (rules.stream().noneMatch(r -> r.path("to").equals(wanted.getValue().path("to"))
                && r.path("ports").equals(wanted.getValue().path("ports")))) {
                problems.add("no egress rule to " + wanted.getKey() + " " + wanted.getValue());
            }
        }
        if (rules.size() != egress.size()) {
            problems.add(rules.size() + " egress rules, expected " + egress.size() + ": " + spec.path("egress"));
        }
        return problems;
    }

    @Test
    void byDefaultTheNetworkPolicyAdmitsSeldonPrometheusTheApiClientsAndTheOtherReplicasOnTheHttpPort() {
        final JsonNode objects = render(CHART);
        assertThat(networkPolicyProblems(objects, HTTP_PORT, defaultIngress(objects), Map.of())).isEmpty();
        assertThat(ofKind(objects, "NetworkPolicy").get(0).path("metadata").path("name").asText()).isEqualTo("monitml");
    }

    @Test
    void turningTheNetworkPolicyOffRemovesIt() {
        final JsonNode objects = render(CHART, "--set", "networkPolicy.enabled=false");
        assertThat(ofKind(objects, "NetworkPolicy")).isEmpty();
        assertThat(ofKind(objects, "StatefulSet")).hasSize(1);
    }

    @Test
    void withoutTheIngestEndpointSeldonIsNotAdmitted() {
        final JsonNode objects = render(CHART, "--set", "config.ingest=false");
        final Map<String, JsonNode> ingress = defaultIngress(objects);
        ingress.remove("Seldon's namespaces");
        assertThat(networkPolicyProblems(objects, HTTP_PORT, ingress, Map.of())).isEmpty();
    }

    @Test
    void theNetworkPolicyFollowsTheConfiguredPortPeersAndEgress() {
        final JsonNode objects = render(CHART, "-f", CHART.resolve("ci/network-policy-values.yaml").toString());
        final Map<String, JsonNode> ingress = new LinkedHashMap<>();
        ingress.put("the other replicas", replicasPeer(objects));
        ingress.put("Seldon's namespaces", json("""
            [{"namespaceSelector": {"matchExpressions": [
              {"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["seldon", "models"]}]}}]"""));
        ingress.put("Prometheus", json("""
            [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "observability"}},
              "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}}}]"""));
        ingress.put("the API clients", json("""
            [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "reporting"}},
              "podSelector": {"matchLabels": {"monitml.io/api-client": "true"}}}]"""));
        ingress.put("the ingress controller (extraIngress)", json("""
            [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}]"""));
        final Map<String, JsonNode> egress = new LinkedHashMap<>();
        egress.put("DNS", json("""
            {"to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
             "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}"""));
        egress.put("the other replicas", json("{\"to\": " + replicasPeer(objects) + ", \"ports\": [{\"protocol\": \"TCP\", \"port\": 9090}]}"));
        egress.put("Kafka and the registry", json("""
            {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kafka"}}}],
             "ports": [{"protocol": "TCP", "port": 9092}, {"protocol": "TCP", "port": 8081}]}"""));
        assertThat(networkPolicyProblems(objects, 9090, ingress, egress)).isEmpty();
    }

    // --- the NetworkPolicy checks fail on a chart that does not fence the pods ------------------

    @Test
    void theChecksFailWhenTheNetworkPolicyIsOffByDefault(@TempDir final Path temp) throws IOException {
        final Path chart = copyChart(temp);
        try {
            replaceIn(chart.resolve("values.yaml"), "networkPolicy:\n  enabled: true\n", "networkPolicy:\n  enabled: false\n");
            final JsonNode objects = render(chart);
            assertThat(networkPolicyProblems(objects, HTTP_PORT, defaultIngress(objects), Map.of()))
                .containsExactly("expected one NetworkPolicy, found 0");
        } finally {
            removeSymlinks(chart);
        }
    }

    @Test
    void theChecksFailWhenTheOtherReplicasAreNotAdmitted(@TempDir final Path temp) throws IOException {
        final Path chart = copyChart(temp);
        try {
            // The replicas' rule names the pods by a label they do not carry.
            replaceIn(chart.resolve("templates/networkpolicy.yaml"),
                "    - from:\n        - podSelector:\n            matchLabels:\n"
                    + "              {{- include \"monitml.selectorLabels\" $ | nindent 14 }}\n      ports:\n",
                "    - from:\n        - podSelector:\n            matchLabels:\n              app: monitml\n      ports:\n");
            final JsonNode objects = render(chart);
            assertThat(networkPolicyProblems(objects, HTTP_PORT, defaultIngress(objects), Map.of()))
                .anySatisfy(problem -> assertThat(problem).startsWith("no ingress rule admits the other replicas"))
                .anySatisfy(problem -> assertThat(problem).startsWith("an ingress rule the values do not ask for"));
        } finally {
            removeSymlinks(chart);
        }
    }

    @Test
    void theChecksFailOnARuleThatAdmitsEveryone(@TempDir final Path temp) throws IOException {
        final Path chart = copyChart(temp);
        try {
            replaceIn(chart.resolve("templates/networkpolicy.yaml"),
                "    # Prometheus, for /metrics.\n    - from:\n        {{- toYaml . | nindent 8 }}\n      ports:\n",
                "    # Prometheus, for /metrics.\n    - ports:\n");
            final JsonNode objects = render(chart);
            assertThat(networkPolicyProblems(objects, HTTP_PORT, defaultIngress(objects), Map.of()))
                .anySatisfy(problem -> assertThat(problem).startsWith("an ingress rule without `from` admits every pod and address"))
                .anySatisfy(problem -> assertThat(problem).startsWith("no ingress rule admits Prometheus"));
        } finally {
            removeSymlinks(chart);
        }
    }

    private static void replaceIn(final Path file, final String from, final String to) throws IOException {
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).as("%s", file).contains(from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
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
