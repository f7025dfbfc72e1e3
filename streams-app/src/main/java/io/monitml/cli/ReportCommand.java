package io.monitml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitml report}: the latest statistics and drift of a running instance's units, as tables for a terminal. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Print the latest closed window's prediction statistics and drift table of each unit, asked of a running "
        + "MonitML instance over its query API (any instance answers for all).",
        "Exit code 3 when a unit's features or predictions drifted, 1 when the instance cannot be asked.",
        "Example: monitml report --deployment housing"})
final class ReportCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:MONITML_URL:-http://127.0.0.1:8080}",
        description = "HTTP address of a running MonitML instance (env MONITML_URL). Default: ${DEFAULT-VALUE}.")
    URI url;

    @Option(names = "--deployment", paramLabel = "NAME", description = "Only this deployment's units.")
    String deployment;

    @Option(names = "--namespace", paramLabel = "NAME", description = "Only this namespace's units.")
    String namespace;

    @Option(names = "--variant", paramLabel = "NAME", description = "Only this variant.")
    String variant;

    @Option(names = "--api-token-file", paramLabel = "FILE", defaultValue = "${env:MONITML_API_TOKEN_FILE}",
        description = "File holding the API's bearer token, when it has one; else MONITML_API_TOKEN (env MONITML_API_TOKEN_FILE).")
    Path tokenFile;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
        description = "table for people, json for scripts (the API's answers as they came). Default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw new IllegalArgumentException("--format is table or json, not " + format);
        }
        final Api api = new Api(url, token());
        final JsonNode units = allUnits(api);
        final Map<String, JsonNode> reports = new LinkedHashMap<>();
        for (final JsonNode unit : units) {
            if (!unit.path("drift").isNull()) {
                reports.put(unit.get("key").asText(), api.get(unitPath(unit) + "/drift/latest").get("report"));
            }
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("units", units)
                    .set("driftReports", JSON.valueToTree(reports))));
        } else {
            print(out, units, reports);
        }
        out.flush();
        boolean drifted = false;
        for (final JsonNode unit : units) {
            drifted |= unit.path("status").asText().equals("DRIFT");
        }
        return drifted ? CompareCommand.DRIFT_FOUND : 0;
    }

    /** Every unit matching the filters: the API answers /units in pages of at most 1,000, ordered by key. */
    private JsonNode allUnits(final Api api) throws Exception {
        final com.fasterxml.jackson.databind.node.ArrayNode units = JSON.createArrayNode();
        final String filters = filters();
        String after = null;
        do {
            final String page = "/api/v1/units" + (filters.isEmpty() ? "?" : filters + "&") + "limit=1000"
                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            final JsonNode answer = api.get(page);
            answer.path("units").forEach(units::add);
            after = answer.path("next").isTextual() ? answer.path("next").asText() : null;
        } while (after != null);
        return units;
    }

    private String token() throws IOException {
        if (tokenFile != null && !tokenFile.toString().isBlank()) {
            return Files.readString(tokenFile).strip();
        }
        final String token = System.getenv("MONITML_API_TOKEN");
        return token == null || token.isBlank() ? null : token.strip();
    }

    private String filters() {
        final List<String> query = new ArrayList<>();
        addFilter(query, "deployment", deployment);
        addFilter(query, "namespace", namespace);
        addFilter(query, "variant", variant);
        return query.isEmpty() ? "" : "?" + String.join("&", query);
    }

    private static void addFilter(final List<String> query, final String name, final String value) {
        if (value != null && !value.isBlank()) {
            query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String unitPath(final JsonNode unit) {
        final JsonNode id = unit.get("unit");
        final StringBuilder path = new StringBuilder("/api/v1/units");
        for (final String part : List.of("namespace", "deployment", "variant", "model")) {
            path.append('/').append(URLEncoder.encode(id.get(part).asText(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    private void print(final PrintWriter out, final JsonNode units, final Map<String, JsonNode> reports) {
        out.printf(Locale.ROOT, "MonitML at %s: %d unit%s%s%n", url, units.size(), units.size() == 1 ? "" : "s",
            deployment == null ? "" : " of deployment " + deployment);
        if (units.isEmpty()) {
            out.println("No unit has closed a window yet.");
            return;
        }
        out.printf(Locale.ROOT, "%nLatest closed window (UTC)%n%-32s %-8s %-19s %-16s %8s %12s %12s %12s %12s %12s %9s %9s%n",
            "namespace/deployment/model", "variant", "window start", "status", "count", "mean", "min", "max", "p50", "p99",
            "lat p50", "lat p99");
        for (final JsonNode unit : units) {
            final JsonNode id = unit.get("unit");
            final JsonNode window = unit.path("lastWindow");
            out.printf(Locale.ROOT, "%-32s %-8s %-19s %-16s %8s %12s %12s %12s %12s %12s %9s %9s%n",
                id.get("namespace").asText() + "/" + id.get("deployment").asText() + "/" + id.get("model").asText(),
                id.get("variant").asText(),
                window.isMissingNode() || window.isNull() ? "-" : TIME.format(Instant.parse(window.get("windowStart").asText())),
                unit.get("status").asText(), window.path("count").isNumber() ? window.get("count").asText() : "-",
                number(window.path("mean")), number(window.path("min")), number(window.path("max")),
                number(window.path("p50")), number(window.path("p99")),
                millis(window.path("latencyP50Millis")), millis(window.path("latencyP99Millis")));
        }
        for (final Map.Entry<String, JsonNode> entry : reports.entrySet()) {
            final JsonNode report = entry.getValue();
            out.printf(Locale.ROOT, "%nDrift of %s, window %s-%s UTC: %s (baseline %s, %s rows, %s threshold %s)%n",
                entry.getKey(), CLOCK.format(Instant.parse(report.get("windowStart").asText())),
                CLOCK.format(Instant.parse(report.get("windowEnd").asText())), report.get("status").asText(),
                report.path("baselineVersion").isNull() ? "none" : report.path("baselineVersion").asText(),
                report.path("rows").asText(), report.path("correction").asText(), scientific(report.path("correctedThreshold")));
            if (report.path("features").isEmpty()) {
                continue;
            }
            out.printf(Locale.ROOT, "  %-20s %-5s %10s %10s %8s  %s%n", "feature", "test", "statistic", "p-value", "PSI", "verdict");
            for (final JsonNode feature : report.get("features")) {
                out.printf(Locale.ROOT, "  %-20s %-5s %10s %10s %8s  %s%n", feature.get("name").asText(),
                    feature.path("test").isNull() ? "-" : feature.path("test").asText(), decimal(feature.path("statistic")),
                    scientific(feature.path("pValue")), decimal(feature.path("psi")),
                    feature.path("drifted").asBoolean() ? "DRIFT" : "ok");
            }
        }
    }

    private static String number(final JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%,.2f", value.asDouble()) : "-";
    }

    private static String decimal(final JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble()) : "-";
    }

    private static String scientific(final JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.2g", value.asDouble()) : "-";
    }

    private static String millis(final JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.0f ms", value.asDouble()) : "-";
    }

    /** GETs of the query API; a non-200 answer becomes an error with the API's own message. */
    private record Api(URI base, String token) {

        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        JsonNode get(final String path) throws IOException, InterruptedException {
            final URI uri = base.resolve(path);
            final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            final HttpResponse<String> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IOException("cannot reach MonitML at " + base + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is it running? set --url or MONITML_URL", e);
            }
            if (response.statusCode() != 200) {
                String message = response.body();
                try {
                    message = JSON.readTree(response.body()).path("message").asText(message);
                } catch (IOException notJson) {
                    // keep the body as it is
                }
                throw new IOException(uri + " answered " + response.statusCode() + ": " + message);
            }
            return JSON.readTree(response.body());
        }
    }
}
