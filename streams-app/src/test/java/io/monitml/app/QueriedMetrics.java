package io.monitml.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names the repository's alert rules query. */
final class RulesMetrics {

    private static final Pattern METRIC = Pattern.compile("\\b(?:monitml|kafka)_[a-z0-9_]+");

    private RulesMetrics() {
    }

    static Set<String> queried() {
        try {
            final Set<String> names = new TreeSet<>();
            final Matcher matcher = METRIC.matcher(Files.readString(Path.of("..", "deploy", "prometheus", "rules", "monitml.rules.yml")));
            while (matcher.find()) {
                names.add(matcher.group());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
