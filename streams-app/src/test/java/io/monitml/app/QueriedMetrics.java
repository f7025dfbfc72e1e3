package io.monitml.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The metric names the repository's alert rules and Grafana dashboards query. */
final class QueriedMetrics {

    private static final Pattern METRIC = Pattern.compile("\\b(?:monitml|kafka|jvm|process)_[a-z0-9_]+");
    private static final Path RULES = Path.of("..", "deploy", "prometheus", "rules", "monitml.rules.yml");
    private static final Path DASHBOARDS = Path.of("..", "grafana", "dashboards");

    private QueriedMetrics() {
    }

    /** Every name the rules and the dashboards' queries (panel targets and template variables) use. */
    static Set<String> all() {
        final Set<String> names = new TreeSet<>();
        try {
            collect(Files.readString(RULES), names);
            try (Stream<Path> files = Files.list(DASHBOARDS)) {
                for (final Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                    collectQueries(new ObjectMapper().readTree(file.toFile()), names);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** PromQL sits in "expr" (panel targets) and "query" (template variables) fields. */
    private static void collectQueries(final JsonNode node, final Set<String> names) {
        for (final Map.Entry<String, JsonNode> field : node.properties()) {
            if ((field.getKey().equals("expr") || field.getKey().equals("query")) && field.getValue().isTextual()) {
                collect(field.getValue().asText(), names);
            }
        }
        node.forEach(child -> collectQueries(child, names));
    }

    private static void collect(final String text, final Set<String> names) {
        final Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
    }
}
