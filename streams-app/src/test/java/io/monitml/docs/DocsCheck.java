package io.monitml.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Markdown pages as GitHub renders them and lists what in them is not true of the
 * repository: relative links to files that do not exist, anchors that match no heading, MonitML
 * flags its CLI does not have, and {@code monitml_*} metrics the application does not export.
 *
 * <p>Flags are checked where they are MonitML's: in an inline code span that starts with the flag
 * ({@code `--window 30s`}), and on the lines of a code block that run {@code monitml} (with their
 * continuation lines). Metrics are checked everywhere; {@code monitml_prediction_{mean,p50}} names
 * two, {@code monitml_pairing_*} any metric of that prefix, and {@code {reason,stage}} after a
 * whole name are its labels.
 */
final class DocsCheck {

    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern LINK = Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*\\*?");
    private static final Pattern METRIC = Pattern.compile("monitml_[a-z0-9_]*(?:\\{[a-z0-9_,]+\\}[a-z0-9_]*)*\\*?");

    private final Set<String> flags;
    private final Pattern command;
    private final Set<String> metrics;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    /**
     * @param flags       every long option of {@code monitml} and its subcommands
     * @param subcommands the names of {@code monitml}'s subcommands: a code line {@code monitml <subcommand>} runs it
     * @param metrics     every metric name the application exports
     */
    DocsCheck(final Set<String> flags, final Set<String> subcommands, final Set<String> metrics) {
        this.flags = flags;
        this.command = Pattern.compile("(^|[\\s/$])monitml\\s+(" + String.join("|", subcommands) + ")\\b");
        this.metrics = metrics;
    }

    /**
     * What is wrong in {@code pages} (their paths, and their text as checked), one line per problem, {@code page:line: problem}; empty when
     * nothing is. Links are checked in every page; flags and metrics in all but {@code linksOnly}
     * (pages about other tools, whose flags and names are theirs).
     */
    List<String> problems(final Path root, final Map<Path, String> pages, final Set<Path> linksOnly) {
        final List<String> problems = new ArrayList<>();
        anchors.clear();
        for (Map.Entry<Path, String> entry : pages.entrySet()) {
            final Path page = entry.getKey();
            final List<String> lines = entry.getValue().lines().toList();
            final boolean names = !linksOnly.contains(page);
            boolean fenced = false;
            boolean command = false;
            for (int number = 1; number <= lines.size(); number++) {
                final String line = lines.get(number - 1);
                final String where = root.relativize(page) + ":" + number + ": ";
                if (FENCE.matcher(line).find()) {
                    fenced = !fenced;
                    command = false;
                    continue;
                }
                if (fenced) {
                    command = names && (command || this.command.matcher(line).find());
                    if (command) {
                        checkFlags(line, where, problems);
                    }
                    command = command && line.stripTrailing().endsWith("\\");
                } else {
                    checkLinks(page, line, where, pages, problems);
                    final Matcher span = CODE_SPAN.matcher(line);
                    while (names && span.find()) {
                        if (span.group(2).strip().startsWith("--")) {
                            checkFlags(span.group(2).strip().split("[\\s=]", 2)[0], where, problems);
                        }
                    }
                }
                if (names) {
                    checkMetrics(line, where, problems);
                }
            }
        }
        return problems;
    }

    private void checkFlags(final String text, final String where, final List<String> problems) {
        final Matcher flag = FLAG.matcher(text);
        while (flag.find()) {
            final String name = flag.group();
            final boolean known = name.endsWith("*")
                ? flags.stream().anyMatch(f -> f.startsWith(name.substring(0, name.length() - 1)))
                : flags.contains(name);
            if (!known) {
                problems.add(where + "monitml has no flag " + flag.group());
            }
        }
    }

    private void checkMetrics(final String line, final String where, final List<String> problems) {
        final Matcher metric = METRIC.matcher(line);
        while (metric.find()) {
            for (String name : expand(metric.group())) {
                final boolean known = name.endsWith("*")
                    ? metrics.stream().anyMatch(m -> m.startsWith(name.substring(0, name.length() - 1)))
                    : metrics.contains(name);
                if (!known) {
                    problems.add(where + "the application exports no metric " + name);
                }
            }
        }
    }

    /** {@code a_{b,c}_d} is {@code a_b_d} and {@code a_c_d}; a brace group after a whole name (not after {@code _}) is labels. */
    static List<String> expand(final String written) {
        final int open = written.indexOf('{');
        if (open < 0) {
            return List.of(written);
        }
        if (written.charAt(open - 1) != '_') {
            return List.of(written.substring(0, open));
        }
        final int close = written.indexOf('}', open);
        final List<String> names = new ArrayList<>();
        for (String part : written.substring(open + 1, close).split(",")) {
            names.addAll(expand(written.substring(0, open) + part + written.substring(close + 1)));
        }
        return names;
    }

    private void checkLinks(final Path page, final String line, final String where, final Map<Path, String> pages,
                            final List<String> problems) {
        final Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
        while (link.find()) {
            final String target = link.group(1);
            if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                continue;
            }
            final int hash = target.indexOf('#');
            final String file = hash < 0 ? target : target.substring(0, hash);
            final Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            if (!Files.exists(resolved)) {
                problems.add(where + "the link " + target + " leads to no file");
            } else if (hash >= 0 && resolved.toString().endsWith(".md")
                && !anchors(resolved, pages).contains(target.substring(hash + 1))) {
                problems.add(where + "the link " + target + " names no heading of " + resolved.getFileName());
            }
        }
    }

    /**
     * The anchors GitHub gives a page's headings (lower case, punctuation dropped, spaces as
     * hyphens, repeats numbered), from its text among {@code pages} or else from its file.
     */
    private Set<String> anchors(final Path page, final Map<Path, String> pages) {
        return anchors.computeIfAbsent(page, p -> {
            final Set<String> slugs = new LinkedHashSet<>();
            final Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : pages.containsKey(p) ? pages.get(p).lines().toList() : read(p)) {
                if (FENCE.matcher(line).find()) {
                    fenced = !fenced;
                    continue;
                }
                final Matcher heading = HEADING.matcher(line);
                if (!fenced && heading.matches()) {
                    final String slug = slug(heading.group(2));
                    final int repeat = seen.merge(slug, 1, Integer::sum) - 1;
                    slugs.add(repeat == 0 ? slug : slug + "-" + repeat);
                }
            }
            return slugs;
        });
    }

    static String slug(final String heading) {
        final String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static List<String> read(final Path page) {
        try {
            return Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
