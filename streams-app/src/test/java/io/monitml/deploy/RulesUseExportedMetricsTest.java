package io.monitml.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.monitml.metrics.ExportedMetrics;

/** Every MonitML metric the alert rules query is one the application exports. */
class RulesUseExportedMetricsTest {

    private static final Pattern METRIC = Pattern.compile("\\bmonitml_[a-z0-9_]+");

    static Set<String> referencedMetricNames(final Path file) throws IOException {
        final Set<String> names = new TreeSet<>();
        final Matcher matcher = METRIC.matcher(Files.readString(file));
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    @Test
    void shouldOnlyQueryMetricsTheApplicationExports() throws IOException {
        final Set<String> used = referencedMetricNames(Path.of("..", "deploy", "prometheus", "rules", "monitml.rules.yml"));

        assertThat(used).isNotEmpty();
        assertThat(ExportedMetrics.names()).containsAll(used);
    }
}
