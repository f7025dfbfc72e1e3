package io.monitml.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.monitml.cli.MonitMl;
import io.monitml.metrics.ExportedMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README and the pages under {@code docs/} stay true of the code: every relative link and
 * anchor resolves, every flag of {@code monitml} they name is one its CLI has, every
 * {@code monitml_*} metric one the application exports. Each kind of break, made in a copy of a
 * page, is caught.
 */
class DocsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> SUB_READMES = List.of("deploy/README.md", "connectors/README.md", "terraform/README.md");
    /** The READMEs of deploy/, connectors/ and terraform/: their flags and names are other tools' (Helm, Kafka, Terraform). */
    private static final Set<Path> OTHER_TOOLS = Set.copyOf(SUB_READMES.stream().map(ROOT::resolve).toList());

    private static DocsCheck check() {
        final CommandLine monitml = MonitMl.commandLine();
        return new DocsCheck(flags(monitml, new TreeSet<>()), monitml.getSubcommands().keySet(), ExportedMetrics.names());
    }

    /** Every long option of the command and its subcommands, {@code --help} and {@code --version} included. */
    private static Set<String> flags(final CommandLine command, final Set<String> into) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    into.add(name);
                }
            }
        }
        command.getSubcommands().values().forEach(sub -> flags(sub, into));
        return into;
    }

    /** README.md, every page of docs/ and the READMEs of deploy/, connectors/ and terraform/, with their text. */
    private static Map<Path, String> pages() throws IOException {
        final List<Path> paths = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(paths::add);
        }
        SUB_READMES.forEach(page -> paths.add(ROOT.resolve(page)));
        final Map<Path, String> pages = new LinkedHashMap<>();
        for (Path path : paths) {
            pages.put(path, Files.readString(path));
        }
        return pages;
    }

    @Test
    void shouldHaveOnlyLinksFlagsAndMetricsThatExist() throws IOException {
        final Map<Path, String> pages = pages();

        assertThat(pages).hasSizeGreaterThanOrEqualTo(13);
        assertThat(check().problems(ROOT, pages, OTHER_TOOLS)).isEmpty();
    }

    @Test
    void shouldListEveryAlertRule() throws IOException {
        final java.util.regex.Matcher alert = java.util.regex.Pattern.compile("(?m)^\\s*- alert: (\\w+)")
            .matcher(Files.readString(ROOT.resolve("deploy/prometheus/rules/monitml.rules.yml")));
        final List<String> alerts = new ArrayList<>();
        while (alert.find()) {
            alerts.add("`" + alert.group(1) + "`");
        }

        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
        assertThat(Files.readString(ROOT.resolve("docs/metrics-and-alerts.md"))).contains(alerts);
    }

    @Test
    void shouldKeepTheReadmeShortWithTheTwoCommandsFirst() throws IOException {
        final List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));

        assertThat(readme).hasSizeLessThanOrEqualTo(250);
        assertThat(readme.subList(0, 30)).contains("./monitml demo", "./test.sh");
        assertThat(String.join("\n", readme)).contains("## Contents").doesNotContainPattern("(?i)being built|later issues|the issues");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a dead link     | README.md                   | (docs/configuration.md)       | (docs/configuratoin.md)       | leads to no file",
        "a dead anchor   | README.md                   | (#what-the-demo-shows)        | (#what-the-demo-showed)       | names no heading",
        "an anchor of another page | README.md         | security.md#kafka-security)   | security.md#kafka-safety)     | names no heading",
        "an unknown flag | docs/configuration.md       | `--window`                    | `--windoww`                   | no flag --windoww",
        "a flag in a command | docs/baselines-and-drift.md | --current last-week.csv   | --currant last-week.csv       | no flag --currant",
        "an unknown metric | docs/metrics-and-alerts.md | monitml_records_late_total   | monitml_records_tardy_total   | no metric monitml_records_tardy_total",
        "an unknown metric in braces | docs/metrics-and-alerts.md | monitml_latency_{p50,p90,p99}_seconds | monitml_latency_{p50,p95}_seconds | no metric monitml_latency_p95_seconds",
    })
    void shouldFindEachKindOfBreakInACopyOfAPage(final String what, final String page, final String good, final String bad,
                                                 final String problem) throws IOException {
        final Map<Path, String> pages = pages();
        final Path broken = ROOT.resolve(page);
        assertThat(pages.get(broken)).as("%s holds %s", page, good).contains(good);

        pages.put(broken, pages.get(broken).replace(good, bad));

        assertThat(check().problems(ROOT, pages, OTHER_TOOLS)).isNotEmpty()
            .allSatisfy(found -> assertThat(found).startsWith(page + ":").contains(problem));
    }

    @Test
    void shouldExpandBracesButNotLabels() {
        assertThat(DocsCheck.expand("monitml_prediction_{mean,p50}")).containsExactly("monitml_prediction_mean", "monitml_prediction_p50");
        assertThat(DocsCheck.expand("monitml_records_late_total{aggregation}")).containsExactly("monitml_records_late_total");
        assertThat(DocsCheck.slug("Who gets a place among `--max-units`")).isEqualTo("who-gets-a-place-among---max-units");
        assertThat(DocsCheck.slug("The ingest endpoint's answers")).isEqualTo("the-ingest-endpoints-answers");
    }
}
