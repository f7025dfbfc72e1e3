package io.monitml.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Terraform configurations in terraform/: terraform/tools/check-terraform.mjs parses every
 * .tf file with HashiCorp's HCL parser and resolves variables, locals, resources, module
 * arguments, module outputs and provider pins (no terraform binary, no cloud). Needs node and npm
 * (test.sh installs them); fails, does not skip, without them. The checker is also run on broken
 * copies of the configurations, to show that it does fail and says where.
 *
 * <p>The fences: terraform/tools/fences.mjs evaluates what the configurations grant (hcl-eval.mjs,
 * the same parser, no terraform) and prints it as JSON; the tests here judge it. MonitML's IRSA
 * role gets MSK permissions on its own names only and read-only access to Seldon's topics, the
 * EKS API's public endpoint has no open default and refuses 0.0.0.0/0 without an explicit
 * opt-in, and the in-cluster schema registry requires authentication with credentials MonitML
 * is given. Each judgement is also shown to fail on a broken copy.
 */
class TerraformChecksTest {

    /** The tests run in streams-app/: the repository root is its parent. */
    private static final Path ROOT = Path.of("..");
    private static final Path TERRAFORM = ROOT.resolve("terraform");
    private static final Path TOOLS = TERRAFORM.resolve("tools");
    private static final Path SCRIPT = TOOLS.resolve("check-terraform.mjs");
    private static final Path FENCES = TOOLS.resolve("fences.mjs");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Folders of terraform/ that are not configurations. */
    private static final Set<String> NOT_COPIED = Set.of("tools", ".terraform", "node_modules");

    private record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return "stdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static Result run(final long timeoutSeconds, final String... command) {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of(".").toFile());
        try {
            final Path out = Files.createTempFile("terraform-check", ".out");
            final Path err = Files.createTempFile("terraform-check", ".err");
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

    private static Result check(final Path folder) {
        return run(120, "node", SCRIPT.toString(), folder.toString());
    }

    @BeforeAll
    static void installTools() {
        assertThat(SCRIPT).as("the Terraform check script").exists();
        final Result node = run(30, "node", "--version");
        assertThat(node.exitCode()).as("node --version%n%s", node.output()).isZero();
        if (!Files.isDirectory(TOOLS.resolve("node_modules"))) {
            final Result npm = run(30, "npm", "--version");
            assertThat(npm.exitCode()).as("npm --version%n%s", npm.output()).isZero();
            final Result install = run(600, "npm", "ci", "--no-audit", "--no-fund", "--prefix", TOOLS.toString());
            assertThat(install.exitCode()).as("npm ci --prefix %s%n%s", TOOLS, install.output()).isZero();
        }
    }

    /** terraform/ without its tools, in a folder of its own, to break. */
    private static Path copyOfConfigurations(final Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(TERRAFORM)) {
            for (final Path source : paths.filter(path -> !isExcluded(TERRAFORM.relativize(path))).toList()) {
                final Path destination = target.resolve(TERRAFORM.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
        }
        return target;
    }

    private static boolean isExcluded(final Path relative) {
        for (final Path part : relative) {
            if (NOT_COPIED.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    private static void replace(final Path file, final String from, final String to) {
        try {
            final String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(text).as("%s", file).contains(from);
            Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(final Path file, final String text) {
        try {
            Files.writeString(file, Files.readString(file, StandardCharsets.UTF_8) + text, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theConfigurationsPassEveryCheck() {
        final Result result = check(TERRAFORM);
        assertThat(result.exitCode()).as("node %s %s%n%s", SCRIPT, TERRAFORM, result.output()).isZero();
        assertThat(result.stdout())
            .startsWith("OK: ")
            .contains("6 modules (2 roots: aws, existing-cluster)");
    }

    @Test
    void anUndeclaredVariableAndAnUnknownModuleArgumentFail(@TempDir final Path temp) throws IOException {
        final Path copy = copyOfConfigurations(temp);
        append(copy.resolve("modules/vpc/outputs.tf"), """

            output "broken" {
              value = var.not_declared
            }
            """);
        replace(copy.resolve("aws/main.tf"), "  source = \"../modules/vpc\"\n",
            "  source = \"../modules/vpc\"\n  no_such_argument = 1\n");

        final Result result = check(copy);

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.stderr())
            .contains("modules/vpc/outputs.tf:")
            .contains("var.not_declared is not declared in modules/vpc")
            .contains("aws/main.tf:")
            .contains("module vpc: unknown argument no_such_argument (modules/vpc declares no variable \"no_such_argument\")")
            .contains("FAILED: 2 problems");
    }

    @Test
    void aMissingRequiredVariableAnUnknownOutputAndAnUnusedVariableFail(@TempDir final Path temp) throws IOException {
        final Path copy = copyOfConfigurations(temp);
        replace(copy.resolve("existing-cluster/main.tf"), "  bootstrap_servers        = var.bootstrap_servers\n", "");
        replace(copy.resolve("aws/outputs.tf"), "module.msk.bootstrap_brokers", "module.msk.bootstrap_servers");

        final Result result = check(copy);

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.stderr())
            .contains("existing-cluster/main.tf:4:1: module monitml: required variable bootstrap_servers of modules/monitml is not given")
            .contains("existing-cluster/variables.tf:")
            .contains("variable bootstrap_servers is declared but never used in existing-cluster")
            .contains("aws/outputs.tf:")
            .contains("module.msk.bootstrap_servers: modules/msk has no output \"bootstrap_servers\"");
    }

    @Test
    void aSyntaxErrorFailsWithItsFileAndPosition(@TempDir final Path temp) throws IOException {
        final Path copy = copyOfConfigurations(temp);
        Files.writeString(copy.resolve("modules/msk/broken.tf"), "locals {\n  brokers = [1, 2\n}\n", StandardCharsets.UTF_8);

        final Result result = check(copy);

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.stderr()).contains("modules/msk/broken.tf: syntax error: modules/msk/broken.tf:3,1");
    }

    @Test
    void anUnpinnedProviderOfARootFails(@TempDir final Path temp) throws IOException {
        final Path copy = copyOfConfigurations(temp);
        replace(copy.resolve("aws/versions.tf"), "version = \"~> 3.6\"", "version = \">= 3.0\"");

        final Result result = check(copy);

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.stderr())
            .contains("aws/versions.tf:")
            .contains("root aws: provider random version \">= 3.0\" is not pinned");
        assertThat(List.of(result.stderr().split("\\R"))).filteredOn(line -> line.contains("not pinned")).hasSize(1);
    }

    // --- the fences: what the configurations grant -----------------------------------------------

    private static JsonNode fences(final Path folder) {
        final Result result = run(120, "node", FENCES.toString(), folder.toString());
        assertThat(result.exitCode()).as("node %s %s%n%s", FENCES, folder, result.output()).isZero();
        try {
            return JSON.readTree(result.stdout());
        } catch (final IOException e) {
            return fail("%s printed no JSON (%s):%n%s", FENCES, e.getMessage(), result.output());
        }
    }

    private static List<String> texts(final JsonNode array) {
        final List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static final Set<String> CLUSTER_ACTIONS = Set.of("kafka-cluster:Connect", "kafka-cluster:DescribeCluster",
        "kafka-cluster:WriteDataIdempotently");
    private static final Set<String> READ_ONLY_TOPIC_ACTIONS = Set.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData");

    /**
     * What is wrong with the MSK policy of one scenario: an action with a wildcard; a resource
     * that is not of the scenario's MSK cluster, or a topic, group or transactional id that is not
     * MonitML's (topic_prefix*, application_id-*, the group application_id) or Seldon's (the v1
     * topic, the v2 prefix's topics); a Seldon topic with more than describe and read; cluster
     * actions beyond connect, describe and idempotent writes; and what MonitML needs but is not
     * granted.
     */
    static List<String> iamProblems(final JsonNode scenario) {
        final List<String> problems = new ArrayList<>();
        final JsonNode names = scenario.path("names");
        final String cluster = names.path("msk_cluster_arn").asText();
        final String applicationId = names.path("application_id").asText();
        final String topicPrefix = names.path("topic_prefix").asText();
        final String seldonV1 = names.path("seldon_v1_topic").asText();
        final String seldonV2 = names.path("seldon_v2_topic_prefix").asText();
        final String topics = cluster.replace(":cluster/", ":topic/") + "/";
        final String groups = cluster.replace(":cluster/", ":group/") + "/";
        final String transactionalIds = cluster.replace(":cluster/", ":transactional-id/") + "/";
        final Map<String, Set<String>> granted = new LinkedHashMap<>();
        for (final JsonNode statement : scenario.path("statements")) {
            if (!statement.path("effect").asText().equals("Allow")) {
                continue;
            }
            final String sid = statement.path("sid").asText();
            final List<String> actions = texts(statement.path("actions"));
            for (final String action : actions) {
                if (action.contains("*") || !action.startsWith("kafka-cluster:")) {
                    problems.add("statement " + sid + ": action " + action + " is a wildcard or not of MSK's data plane");
                }
            }
            for (final String resource : texts(statement.path("resources"))) {
                granted.computeIfAbsent(resource, r -> new TreeSet<>()).addAll(actions);
                if (resource.equals(cluster)) {
                    actions.stream().filter(a -> !CLUSTER_ACTIONS.contains(a))
                        .forEach(a -> problems.add("statement " + sid + ": " + a + " on the cluster"));
                } else if (resource.startsWith(topics)) {
                    final String topic = resource.substring(topics.length());
                    final boolean seldons = !seldonV1.isEmpty() && topic.equals(seldonV1)
                        || !seldonV2.isEmpty() && topic.startsWith(seldonV2 + ".");
                    if (seldons) {
                        actions.stream().filter(a -> !READ_ONLY_TOPIC_ACTIONS.contains(a))
                            .forEach(a -> problems.add("statement " + sid + ": " + a + " on Seldon's topic " + topic + " (read only)"));
                    } else if (!topic.startsWith(topicPrefix) && !topic.startsWith(applicationId + "-")) {
                        problems.add("statement " + sid + ": topic " + topic + " is neither MonitML's (" + topicPrefix + "*, "
                            + applicationId + "-*) nor Seldon's");
                    }
                } else if (resource.startsWith(groups)) {
                    if (!resource.substring(groups.length()).equals(applicationId)) {
                        problems.add("statement " + sid + ": group " + resource.substring(groups.length()) + " is not MonitML's ("
                            + applicationId + ")");
                    }
                } else if (resource.startsWith(transactionalIds)) {
                    if (!resource.substring(transactionalIds.length()).startsWith(applicationId + "-")) {
                        problems.add("statement " + sid + ": transactional id " + resource.substring(transactionalIds.length())
                            + " is not MonitML's (" + applicationId + "-*)");
                    }
                } else {
                    problems.add("statement " + sid + ": " + resource + " is not a resource of the MSK cluster " + cluster);
                }
            }
        }
        final Map<String, List<String>> needed = new LinkedHashMap<>();
        needed.put(cluster, List.copyOf(CLUSTER_ACTIONS));
        needed.put(topics + topicPrefix + "*", List.of("kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData",
            "kafka-cluster:WriteData"));
        needed.put(topics + applicationId + "-*", List.of("kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic",
            "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData", "kafka-cluster:WriteData",
            "kafka-cluster:DeleteTopic"));
        if (!seldonV1.isEmpty()) {
            needed.put(topics + seldonV1, List.copyOf(READ_ONLY_TOPIC_ACTIONS));
        }
        if (!seldonV2.isEmpty()) {
            for (final String suffix : List.of("model.*.inputs", "model.*.outputs")) {
                needed.put(topics + seldonV2 + ".*." + suffix, List.copyOf(READ_ONLY_TOPIC_ACTIONS));
            }
        }
        needed.put(groups + applicationId, List.of("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"));
        needed.put(transactionalIds + applicationId + "-*", List.of("kafka-cluster:DescribeTransactionalId",
            "kafka-cluster:AlterTransactionalId"));
        needed.forEach((resource, actions) -> actions.stream().filter(a -> !granted.getOrDefault(resource, Set.of()).contains(a))
            .forEach(a -> problems.add("MonitML needs " + a + " on " + resource)));
        return problems;
    }

    @Test
    void monitmlsIamRoleMayUseItsOwnNamesOnlyAndReadSeldonsTopics() {
        final JsonNode iam = fences(TERRAFORM).path("iam");
        assertThat(iam.path("scenarios")).hasSize(3);
        for (final JsonNode scenario : iam.path("scenarios")) {
            assertThat(scenario.path("created").asBoolean()).as("the policy is created with kafka_auth = iam").isTrue();
            assertThat(iamProblems(scenario)).as("the MSK policy with %s", scenario.path("names")).isEmpty();
            final List<String> resources = new ArrayList<>();
            scenario.path("statements").forEach(statement -> resources.addAll(texts(statement.path("resources"))));
            assertThat(resources).as("no statement names every topic, group or transactional id").isNotEmpty()
                .noneMatch(resource -> resource.matches(".*:(topic|group|transactional-id)/[^/]+/[^/]+/\\*") || resource.equals("*"));
        }
        final JsonNode withoutSeldon = iam.path("scenarios").get(2);
        assertThat(withoutSeldon.path("names").path("seldon_v1_topic").asText()).isEmpty();
        assertThat(withoutSeldon.toString()).as("Seldon off: no statement for its topics").doesNotContain("SeldonTopics");
    }

    @Test
    void theIamRoleRefusesSettingsThatNameTopicsItDoesNotGrant() {
        final JsonNode preconditions = fences(TERRAFORM).path("iam").path("preconditions");
        assertThat(texts(preconditions.path("agreeing"))).as("monitml_config under the granted names").containsOnly("true");
        assertThat(texts(preconditions.path("renamedTopic"))).as("rawTopic = events, outside topic_prefix").contains("false");
        assertThat(texts(preconditions.path("renamedApplication"))).as("applicationId in monitml_config").contains("false");
    }

    /** What is wrong with the EKS API's public access: an open default, an open range accepted, an empty list let through. */
    static List<String> eksApiProblems(final JsonNode eks) {
        final List<String> problems = new ArrayList<>();
        for (final JsonNode variable : eks.path("variables")) {
            final String name = variable.path("module").asText() + " variable " + variable.path("name").asText();
            if (!variable.path("declared").asBoolean()) {
                problems.add(name + " is not declared");
                continue;
            }
            if (variable.path("hasDefault").asBoolean()) {
                problems.add(name + " has a default (" + variable.path("default") + "): who may reach the API must be given");
            }
            for (final JsonNode sample : variable.path("accepts")) {
                final boolean open = texts(sample.path("value")).stream().anyMatch(cidr -> cidr.endsWith("/0"));
                final boolean invalid = texts(sample.path("value")).stream().anyMatch(cidr -> !cidr.contains("/"));
                if (sample.path("accepted").asBoolean() == (open || invalid)) {
                    problems.add(name + (open || invalid ? " accepts " : " refuses ") + sample.path("value"));
                }
            }
        }
        eks.path("optIns").fields().forEachRemaining(optIn -> {
            if (!optIn.getValue().isBoolean() || optIn.getValue().asBoolean()) {
                problems.add(optIn.getKey() + " must exist and default to false, is " + optIn.getValue());
            }
        });
        for (final JsonNode cluster : eks.path("clusters")) {
            final JsonNode input = cluster.path("input");
            final boolean holds = !texts(cluster.path("preconditions")).contains("false");
            final boolean publicAccess = input.path("endpoint_public_access").asBoolean();
            final boolean fromAnywhere = input.path("public_access_from_anywhere").asBoolean(false);
            final List<String> cidrs = texts(cluster.path("publicAccessCidrs"));
            if (publicAccess && cidrs.isEmpty() && holds) {
                problems.add("a public endpoint with no ranges is let through (EKS opens it to 0.0.0.0/0): " + input);
            }
            if (cidrs.contains("0.0.0.0/0") != fromAnywhere) {
                problems.add("the cluster gets " + cidrs + " for " + input);
            }
            if (publicAccess && !fromAnywhere && !cidrs.equals(texts(input.path("public_access_cidrs")))) {
                problems.add("the cluster gets " + cidrs + ", not the ranges given, for " + input);
            }
        }
        final JsonNode root = eks.path("root");
        if (!root.path("passed").path("public_access_cidrs").equals(root.path("inputs").path("cluster_public_access_cidrs"))
            || root.path("passed").path("public_access_from_anywhere").asBoolean(true)) {
            problems.add("aws/ does not hand its ranges to modules/eks: " + root);
        }
        return problems;
    }

    @Test
    void theKubernetesApiHasNoOpenDefaultAndRefusesTheWholeInternet() {
        final JsonNode eks = fences(TERRAFORM).path("eksApi");
        assertThat(eks.path("variables")).hasSize(2);
        assertThat(eks.path("clusters")).hasSize(4);
        assertThat(eksApiProblems(eks)).isEmpty();
    }

    /** What is wrong with the in-cluster registry's authentication. */
    static List<String> registryProblems(final JsonNode registry) {
        final List<String> problems = new ArrayList<>();
        final JsonNode karapace = registry.path("containers").get(0);
        final String authfile = karapace.path("env").path("KARAPACE_REGISTRY_AUTHFILE").asText("");
        if (!authfile.startsWith("/")) {
            problems.add("Karapace has no KARAPACE_REGISTRY_AUTHFILE: it would serve everyone without authentication");
            return problems;
        }
        final String dir = authfile.substring(0, authfile.lastIndexOf('/'));
        JsonNode mount = null;
        for (final JsonNode m : karapace.path("mounts")) {
            if (m.path("mountPath").asText().equals(dir)) {
                mount = m;
            }
        }
        if (mount == null) {
            problems.add("nothing is mounted at " + dir + ", where Karapace reads its users");
            return problems;
        }
        final String volume = mount.path("name").asText();
        boolean written = false;
        for (final JsonNode init : registry.path("initContainers")) {
            for (final JsonNode m : init.path("mounts")) {
                final boolean secretInput = init.path("env").findValues("secret").size() > 0;
                written |= m.path("name").asText().equals(volume) && m.path("mountPath").asText().equals(dir)
                    && !m.path("readOnly").asBoolean() && secretInput;
            }
        }
        if (!written) {
            problems.add("no init container writes Karapace's users into volume " + volume + " from a Secret");
        }
        final String userInfo = registry.path("monitml").path("credentials").path("MONITML_SCHEMA_REGISTRY_USER_INFO").asText("");
        if (!userInfo.matches("[^:]+:\\(known after apply: random_password\\..*\\)")) {
            problems.add("MonitML's credentials hold no generated MONITML_SCHEMA_REGISTRY_USER_INFO: " + userInfo);
        }
        if (!registry.path("monitml").path("secrets").path("schemaRegistryUserInfo").path("key").asText()
            .equals("MONITML_SCHEMA_REGISTRY_USER_INFO")) {
            problems.add("the chart is not told where MonitML's registry credentials are (secrets.schemaRegistryUserInfo)");
        }
        return problems;
    }

    @Test
    void theInClusterSchemaRegistryRequiresAuthenticationAndMonitmlHasTheCredentials() {
        final JsonNode registry = fences(TERRAFORM).path("schemaRegistry");
        assertThat(registry.path("installed").asBoolean()).isTrue();
        assertThat(registryProblems(registry)).isEmpty();
    }

    // --- the fence checks fail on configurations that open what they should close -----------------

    @Test
    void aPolicyOnEveryTopicAWildcardActionAndWritesToSeldonFail(@TempDir final Path temp) throws IOException {
        final Path copy = copyOfConfigurations(temp);
        final Path irsa = copy.resolve("modules/monitml/irsa.tf");
        replace(irsa, "resources = [\"${local.msk_topic_arn}/${var.topic_prefix}*\"]", "resources = [\"${local.msk_topic_arn}/*\"]");
        replace(irsa, "      \"kafka-cluster:AlterGroup\",\n", "      \"kafka-cluster:*\",\n");
        replace(irsa, "        \"kafka-cluster:DescribeTopic\",\n        \"kafka-cluster:ReadData\",\n      ]\n      resources = statement.value",
            "        \"kafka-cluster:DescribeTopic\",\n        \"kafka-cluster:ReadData\",\n        \"kafka-cluster:WriteData\",\n      ]\n"
                + "      resources = statement.value");

        final List<String> problems = iamProblems(fences(copy).path("iam").path("scenarios").get(0));

        assertThat(problems)
            .anySatisfy(p -> assertThat(p).isEqualTo("statement MonitmlTopics: topic * is neither MonitML's (monitml.*, monitml-*) nor Seldon's"))
            .anySatisfy(p -> assertThat(p).isEqualTo("statement ConsumerGroup: action kafka-cluster:* is a wildcard or not of MSK's data plane"))
            .anySatisfy(p -> assertThat(p).isEqualTo("statement SeldonTopics: kafka-cluster:WriteData on Seldon's topic seldon (read only)"))
            .anySatisfy(p -> assertThat(p).startsWith("MonitML needs kafka-cluster:CreateTopic on arn:aws:kafka:"));
    }

    @Test
    void aGroupWildcardFails(@TempDir final Path temp) throws IOException {
        final Path copy = copyOfConfigurations(temp);
        replace(copy.resolve("modules/monitml/irsa.tf"), "\"${local.msk_group_arn}/${var.application_id}\"", "\"${local.msk_group_arn}/*\"");

        assertThat(iamProblems(fences(copy).path("iam").path("scenarios").get(0)))
            .contains("statement ConsumerGroup: group * is not MonitML's (monitml)");
    }

    @Test
    void anOpenDefaultOrNoValidationOfTheApiRangesFails(@TempDir final Path temp) throws IOException {
        final Path copy = copyOfConfigurations(temp);
        final Path variables = copy.resolve("modules/eks/variables.tf");
        replace(variables, "  type        = list(string)\n\n  validation {\n    condition     = alltrue([for cidr in var.public_access_cidrs : can(",
            "  type        = list(string)\n  default     = [\"0.0.0.0/0\"]\n\n  validation {\n"
                + "    condition     = alltrue([for cidr in var.public_access_cidrs : can(");
        replace(variables, "!endswith(cidr, \"/0\")", "cidr != \"\"");
        replace(copy.resolve("modules/eks/main.tf"), "condition     = !var.endpoint_public_access || length(local.public_access_cidrs) > 0",
            "condition     = true");

        assertThat(eksApiProblems(fences(copy).path("eksApi")))
            .contains("modules/eks variable public_access_cidrs has a default ([\"0.0.0.0/0\"]): who may reach the API must be given",
                "modules/eks variable public_access_cidrs accepts [\"0.0.0.0/0\"]",
                "modules/eks variable public_access_cidrs accepts [\"::/0\"]",
                "a public endpoint with no ranges is let through (EKS opens it to 0.0.0.0/0): {\"endpoint_public_access\":true,\"public_access_cidrs\":[]}")
            .noneMatch(p -> p.startsWith("aws variable"));
    }

    @Test
    void aRegistryWithoutItsUsersFileFails(@TempDir final Path temp) throws IOException {
        final Path copy = copyOfConfigurations(temp);
        replace(copy.resolve("modules/monitml/schema-registry.tf"),
            "      KARAPACE_REGISTRY_AUTHFILE   = \"${local.registry_auth_dir}/users.json\"\n", "");
        replace(copy.resolve("modules/monitml/schema-registry.tf"), "value = local.registry_env.KARAPACE_REGISTRY_AUTHFILE",
            "value = \"${local.registry_auth_dir}/users.json\"");

        assertThat(registryProblems(fences(copy).path("schemaRegistry")))
            .containsExactly("Karapace has no KARAPACE_REGISTRY_AUTHFILE: it would serve everyone without authentication");
    }
}
