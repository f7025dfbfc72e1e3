package io.monitml.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Terraform configurations in terraform/: terraform/tools/check-terraform.mjs parses every
 * .tf file with HashiCorp's HCL parser and resolves variables, locals, resources, module
 * arguments, module outputs and provider pins (no terraform binary, no cloud). Needs node and npm
 * (test.sh installs them); fails, does not skip, without them. The checker is also run on broken
 * copies of the configurations, to show that it does fail and says where.
 */
class TerraformChecksTest {

    /** The tests run in streams-app/: the repository root is its parent. */
    private static final Path ROOT = Path.of("..");
    private static final Path TERRAFORM = ROOT.resolve("terraform");
    private static final Path TOOLS = TERRAFORM.resolve("tools");
    private static final Path SCRIPT = TOOLS.resolve("check-terraform.mjs");
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
}
