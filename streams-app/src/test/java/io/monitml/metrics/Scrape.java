package io.monitml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Prometheus text scrape the way the tests need it. A metric a test reads must be in the
 * scrape: one that was renamed or never registered fails the test instead of reading as 0.
 */
public final class Scrape {

    private Scrape() {
    }

    /** The sum of every series of {@code name}; fails when the scrape has none. */
    public static double sum(final String scrape, final String name) {
        return sum(scrape, name, "");
    }

    /**
     * The sum of the series of {@code name} whose labels contain {@code labels} (e.g.
     * {@code stage="decode"}; empty: every series), 0 when none does; fails when the scrape has no
     * series of {@code name} at all.
     */
    public static double sum(final String scrape, final String name, final String labels) {
        final Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(scrape);
        boolean exported = false;
        double sum = 0;
        while (matcher.find()) {
            exported = true;
            if (labels.isEmpty() || (matcher.group(1) != null && matcher.group(1).contains(labels))) {
                sum += Double.parseDouble(matcher.group(2));
            }
        }
        assertThat(exported).as("the scrape exports %s (a renamed or unregistered metric must not read as 0)", name).isTrue();
        return sum;
    }
}
