package io.monitml.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.monitml.baseline.Table;
import io.monitml.baseline.TestTables;
import io.monitml.stats.Correction;
import picocli.CommandLine;

class CompareCommandTest {

    @TempDir
    Path dir;

    private static List<String> bostonLines() throws IOException {
        try (var reader = new java.io.BufferedReader(new InputStreamReader(
            CompareCommandTest.class.getResourceAsStream("/data/boston-housing.csv"), StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }

    /** The Boston data with rm + 1.5 rooms and lstat x 1.6, as the demo's drift does. */
    private static List<String> shifted(final List<String> lines) {
        final List<String> header = List.of(lines.get(0).split(","));
        final int rm = header.indexOf("rm");
        final int lstat = header.indexOf("lstat");
        final List<String> out = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            final String[] cells = line.split(",");
            cells[rm] = Double.toString(Double.parseDouble(cells[rm]) + 1.5);
            cells[lstat] = Double.toString(Double.parseDouble(cells[lstat]) * 1.6);
            out.add(String.join(",", cells));
        }
        return out;
    }

    private static DatasetComparison.Settings settings() {
        return new DatasetComparison.Settings(Set.of("chas"), Set.of(), Correction.BONFERRONI, 0.05, 0.25, 10);
    }

    private int tables;

    private Table table(final List<String> lines) throws IOException {
        return TestTables.csv(dir, "t" + tables++ + ".csv", String.join("\n", lines));
    }

    @Test
    void shouldFlagExactlyTheShiftedColumns() throws IOException {
        final List<String> lines = bostonLines();

        final DatasetComparison.Result result = DatasetComparison.compare(table(lines), table(shifted(lines)), settings());

        assertThat(result.columns()).hasSize(13);
        assertThat(result.columns()).filteredOn(ColumnDrift::drifted).extracting(ColumnDrift::name).containsExactlyInAnyOrder("rm", "lstat");
        assertThat(result.threshold()).isEqualTo(0.05 / 13);
        final ColumnDrift crim = result.columns().stream().filter(c -> c.name().equals("crim")).findFirst().orElseThrow();
        assertThat(crim.statistic()).isZero();
        assertThat(crim.pValue()).isEqualTo(1.0);
        assertThat(crim.psi()).isZero();
        final ColumnDrift chas = result.columns().stream().filter(c -> c.name().equals("chas")).findFirst().orElseThrow();
        assertThat(chas.test()).isEqualTo("chi2");
    }

    @Test
    void shouldGiveEvidentlysPsiForItsCategoricalExample() throws IOException {
        final Table reference = table(List.of("x", "3", "2", "2"));
        final Table current = table(List.of("x", "1", "2", "3"));

        final ColumnDrift x = DatasetComparison.compare(reference, current,
            new DatasetComparison.Settings(Set.of("x"), Set.of(), Correction.NONE, 0.05, 0.25, 10)).columns().get(0);

        assertThat(x.psi()).isCloseTo(2.934, within(0.0005));
        assertThat(x.drifted()).isTrue();
    }

    @Test
    void shouldPrintJsonAndFailOnDriftWhenAsked() throws IOException {
        final List<String> lines = bostonLines();
        final Path reference = Files.write(dir.resolve("train.csv"), lines);
        final Path current = Files.write(dir.resolve("prod.csv"), shifted(lines));
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = io.monitml.cli.CliAccess.commandLine();
        commandLine.setOut(new PrintWriter(out));

        final int exit = commandLine.execute("compare", "--reference", reference.toString(), "--current", current.toString(),
            "--format", "json", "--fail-on-drift", "--correction", "fdr");

        assertThat(exit).isEqualTo(3);
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("correction").asText()).isEqualTo("fdr");
        assertThat(json.get("columns")).hasSize(13);
        assertThat(json.get("columns").findValuesAsText("name")).contains("rm", "lstat", "medv");
    }
}
