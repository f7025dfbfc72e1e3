package io.monitml.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;

import io.monitml.app.DemoTraffic;
import io.monitml.app.MonitMlApplication;
import io.monitml.app.TestConfigs;
import io.monitml.baseline.BaselinePublisher;
import io.monitml.cli.CliAccess;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.TopologySettings;
import io.monitml.demo.DemoBaseline;
import io.monitml.demo.TrafficConfig;
import io.monitml.embedded.EmbeddedRuntime;
import io.monitml.metrics.Scrape;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.PipelineListener;

/** The query API on the real in-process broker: every endpoint and error, and two instances answering alike. */
class QueryApiIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String TOKEN = "query-it-token";
    private static final String V1 = "/api/v1/units/seldon/housing/v1/classifier";
    private static final String V2 = "/api/v1/units/seldon/housing/v2/classifier";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static TopologySettings topology() {
        return TestConfigs.topology(TopologySettings.Sources.cloudEventsOnly(), Duration.ofSeconds(2),
            new TopologySettings.Pairing(true, Duration.ofSeconds(10)));
    }

    @Test
    void answersEveryEndpointAndEveryErrorCase() throws Exception {
        final MonitMlConfig config = TestConfigs.connected("", "", "monitml-query-it", dir, topology(), 2,
            new MonitMlConfig.Api(null, TOKEN));
        try (MonitMlApplication app = MonitMlApplication.start(config, PipelineListener.NONE)) {
            final HttpResponse<String> starting = get(app, V1, TOKEN);
            assertThat(starting.statusCode()).as("a store that is not ready yet: %s", starting.body()).isEqualTo(503);
            assertThat(starting.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(message(starting)).containsAnyOf("assigned", "not running", "not queryable", "starting");

            await().atMost(PATIENCE).until(() -> app.state() == KafkaStreams.State.RUNNING);
            publishBaseline(app);
            try (DemoTraffic traffic = new DemoTraffic(app, TrafficConfig.defaults().withRequestsPerSecond(300)
                .withDriftAfter(Duration.ofSeconds(10))).start()) {

                final HttpResponse<String> unknownBeforeAnyWindow = get(app, "/api/v1/units/seldon/housing/v9/classifier", TOKEN);
                assertThat(unknownBeforeAnyWindow.statusCode()).isEqualTo(404);
                assertThat(message(unknownBeforeAnyWindow)).contains("Unknown unit seldon/housing/v9/classifier");

                final HttpResponse<String> anonymous = get(app, "/api/v1/units", null);
                assertThat(anonymous.statusCode()).isEqualTo(401);
                assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                assertThat(get(app, "/api/v1/units", "another-token").statusCode()).isEqualTo(401);

                // Both variants listed, the canary's predictions flagged, and after the input shift a drifted feature.
                await().atMost(PATIENCE).untilAsserted(() -> {
                    final JsonNode units = ok(get(app, "/api/v1/units", TOKEN)).get("units");
                    assertThat(units).hasSize(2);
                    final JsonNode v2 = byVariant(units, "v2");
                    assertThat(v2.get("status").asText()).isEqualTo("DRIFT");
                    assertThat(v2.path("lastWindow").path("mean").asDouble()).isEqualTo(100.0);
                    assertThat(byVariant(units, "v1").path("drift").path("driftedFeatures")).isNotEmpty();
                });

                final JsonNode onlyV1 = ok(get(app, "/api/v1/units?variant=v1", TOKEN)).get("units");
                assertThat(onlyV1).hasSize(1);
                assertThat(onlyV1.get(0).get("key").asText()).isEqualTo("seldon/housing/v1/classifier");

                final JsonNode summary = ok(get(app, V2, TOKEN));
                assertThat(summary.get("status").asText()).isEqualTo("DRIFT");
                assertThat(summary.path("lastWindow").path("closed").asBoolean()).isTrue();
                assertThat(summary.get("servedBy")).isNotEmpty();

                final JsonNode range = ok(get(app, V2 + "/stats?last=5m", TOKEN));
                final List<JsonNode> windows = new ArrayList<>();
                range.get("windows").forEach(windows::add);
                assertThat(windows).hasSizeGreaterThanOrEqualTo(2).allSatisfy(window -> {
                    assertThat(window.get("closed").asBoolean()).isTrue();
                    assertThat(window.get("mean").asDouble()).isEqualTo(100.0);
                });
                // Latencies travel one repartition more than the predictions; the tests' 1 s grace may miss a window's.
                assertThat(windows).anySatisfy(window -> assertThat(window.get("latencyP50Millis").asDouble()).isBetween(1.0, 4.0));
                assertThat(windows).extracting(w -> Instant.parse(w.get("windowStart").asText())).isSorted();
                final String from = windows.get(0).get("windowStart").asText();
                final String to = windows.get(1).get("windowStart").asText();
                assertThat(ok(get(app, V2 + "/stats?from=" + from + "&to=" + to, TOKEN)).get("windows"))
                    .as("both ends of the range are inclusive").hasSize(2);
                final long fromMillis = Instant.parse(from).toEpochMilli();
                assertThat(ok(get(app, V2 + "/stats?from=" + fromMillis + "&to=" + fromMillis, TOKEN)).get("windows"))
                    .as("epoch milliseconds").hasSize(1);

                final JsonNode latest = ok(get(app, V2 + "/stats/latest", TOKEN)).get("window");
                assertThat(Instant.parse(latest.get("windowStart").asText())).isAfterOrEqualTo(Instant.parse(to));
                await().atMost(PATIENCE).untilAsserted(() -> {
                    final JsonNode live = ok(get(app, V1 + "/stats/live", TOKEN)).get("windows");
                    final JsonNode lastClosed = ok(get(app, V1 + "/stats/latest", TOKEN)).get("window");
                    assertThat(live).isNotEmpty().allSatisfy(window -> {
                        assertThat(window.get("closed").asBoolean()).isFalse();
                        assertThat(window.get("count").asLong()).isPositive();
                        assertThat(Instant.parse(window.get("windowStart").asText()))
                            .isAfter(Instant.parse(lastClosed.get("windowStart").asText()));
                    });
                });

                final JsonNode report = ok(get(app, V1 + "/drift/latest", TOKEN)).get("report");
                assertThat(report.get("features")).extracting(f -> f.get("name").asText()).contains("crim", "rm", "lstat");
                assertThat(report.get("features")).allSatisfy(feature -> {
                    assertThat(feature.get("baselineProportions")).isNotEmpty();
                    assertThat(feature.get("currentProportions")).hasSameSizeAs(feature.get("baselineProportions"));
                });
                assertThat(byName(report.get("features"), "rm").get("drifted").asBoolean()).isTrue();
                assertThat(ok(get(app, V1 + "/drift?last=5m", TOKEN)).get("reports")).hasSizeGreaterThanOrEqualTo(2);

                final JsonNode pipeline = ok(get(app, "/api/v1/pipeline", TOKEN));
                final JsonNode totals = pipeline.get("totals");
                assertThat(totals.get("monitml_records_in_total").asDouble()).isPositive();
                assertThat(totals.get("monitml_records_decoded_total").asDouble()
                    + totals.path("monitml_records_dead_lettered_total").asDouble(0))
                    .as("every record in is decoded or dead-lettered (in flight aside)")
                    .isLessThanOrEqualTo(totals.get("monitml_records_in_total").asDouble());
                final JsonNode instances = ok(get(app, "/api/v1/instances", TOKEN)).get("instances");
                assertThat(instances).hasSize(1);
                assertThat(instances.get(0).get("self").asBoolean()).isTrue();

                final JsonNode openApi = ok(get(app, "/api/v1/openapi.json", TOKEN));
                assertThat(openApi.get("openapi").asText()).startsWith("3.");
                assertThat(fieldNames(openApi.get("paths"))).contains("/api/v1/units", "/api/v1/pipeline",
                    "/api/v1/units/{namespace}/{deployment}/{variant}/{model}/stats/live",
                    "/api/v1/units/{namespace}/{deployment}/{variant}/{model}/drift/latest");

                final Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
                final StringWriter printed = new StringWriter();
                final CommandLine cli = CliAccess.commandLine();
                cli.setOut(new PrintWriter(printed));
                final int exit = cli.execute("report", "--url", "http://127.0.0.1:" + app.httpPort(), "--deployment", "housing",
                    "--api-token-file", tokenFile.toString());
                assertThat(exit).as("drift found: %s", printed).isEqualTo(3);
                assertThat(printed.toString()).contains("2 units of deployment housing", "seldon/housing/classifier",
                    "Drift of seldon/housing/v1/classifier").containsPattern("(?m)^seldon/housing/classifier +v2 .* DRIFT ")
                    .containsPattern("(?m)^  rm +ks .* DRIFT$");
                final StringWriter refused = new StringWriter();
                final CommandLine withoutToken = CliAccess.commandLine();
                withoutToken.setErr(new PrintWriter(refused));
                assertThat(withoutToken.execute("report", "--url", "http://127.0.0.1:" + app.httpPort())).isEqualTo(1);
                assertThat(refused.toString()).contains("401", "bearer token");

                assertError(get(app, V2 + "/stats?from=yesterday", TOKEN), 400, "from=yesterday");
                assertError(get(app, V2 + "/stats?last=2h", TOKEN), 400, "wider than the 1h");
                assertError(get(app, V2 + "/stats?from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z", TOKEN), 400, "empty");
                assertError(get(app, V2 + "/drift?last=soon", TOKEN), 400, "not a duration");
                // Past what a Duration holds: an ArithmeticException and a 500 before.
                assertError(get(app, V2 + "/stats?last=1000000000000000d", TOKEN), 400, "1000000000000000d");
                assertError(get(app, V2 + "/drift?last=PT-1H", TOKEN), 400, "negative");
                assertError(get(app, "/api/v1/units?limit=0", TOKEN), 400, "limit=0");
                assertError(get(app, "/api/v1/units?limit=1001", TOKEN), 400, "1000");
                assertError(get(app, "/api/v1/units/seldon/housing/v9/classifier/stats", TOKEN), 404, "v9");
                assertError(get(app, "/api/v1/units/seldon/housing/v9/classifier/drift/latest", TOKEN), 404, "v9");
                assertError(get(app, V2 + "/somewhere", TOKEN), 404, "somewhere");
                assertError(get(app, "/api/v1/nothing", TOKEN), 404, "openapi.json");
                final HttpResponse<String> post = HTTP.send(request(app, "/api/v1/units", TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertError(post, 405, "GET");
            }
        }
    }

    @Test
    void eitherOfTwoInstancesGivesTheSameAnswersAndTheSurvivorStillAnswersAfterOneStops() throws Exception {
        try (EmbeddedRuntime broker = EmbeddedRuntime.start(dir.resolve("broker"), 0, 0)) {
            final MonitMlApplication a = MonitMlApplication.start(instance(broker, "a"), PipelineListener.NONE);
            final Map<String, JsonNode> before;
            try (MonitMlApplication b = MonitMlApplication.start(instance(broker, "b"), PipelineListener.NONE)) {
                try {
                    await().atMost(PATIENCE).until(() -> a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING);
                    publishBaseline(a);
                    try (DemoTraffic traffic = new DemoTraffic(a).start()) {
                        await().atMost(PATIENCE).untilAsserted(() -> {
                            final JsonNode units = ok(get(b, "/api/v1/units", null)).get("units");
                            assertThat(units).hasSize(2);
                            assertThat(ok(get(b, "/api/v1/instances", null)).get("instances")).hasSize(2);
                            assertThat(ok(get(a, V1 + "/drift?last=10m", null)).get("reports")).hasSizeGreaterThanOrEqualTo(2);
                            assertThat(ok(get(a, V2 + "/stats?last=10m", null)).get("windows")).hasSizeGreaterThanOrEqualTo(2);
                        });
                    }
                    // With the traffic stopped the state settles; then every answer is the same from either instance.
                    final List<String> paths = queries(a);
                    // The counters too are summed over both instances, whichever is asked.
                    final List<String> withCounters = new ArrayList<>(paths);
                    withCounters.add("/api/v1/pipeline");
                    await().atMost(PATIENCE).untilAsserted(() -> assertThat(answers(b, withCounters)).isEqualTo(answers(a, withCounters)));
                    before = answers(a, paths);
                    assertPagesAddUpToTheListing(a, b);
                    // Only a takes the traffic: the sum is a's own count, whichever instance is asked.
                    final double ingested = Scrape.sum(a.meterRegistry().scrape(), "monitml_ingest_events_total");
                    assertThat(ok(get(b, "/api/v1/pipeline", null)).path("totals").path("monitml_ingest_events_total").asDouble())
                        .isPositive().isEqualTo(ingested);
                    final Set<String> servedBy = new TreeSet<>();
                    before.values().forEach(answer -> collectServedBy(answer, servedBy));
                    assertThat(servedBy).as("the two instances share the units' work").hasSize(2);
                } catch (RuntimeException | Error e) {
                    a.close();
                    throw e;
                }
            }
            // b has stopped: its tasks move to a, which restores them from the changelogs and answers everything.
            try (a) {
                final List<String> paths = new ArrayList<>(before.keySet());
                await().atMost(PATIENCE).untilAsserted(() -> {
                    assertThat(ok(get(a, "/api/v1/instances", null)).get("instances")).hasSize(1);
                    assertThat(withoutServedBy(answers(a, paths))).isEqualTo(withoutServedBy(before));
                });
            }
        }
    }

    /**
     * Pages of one unit, asked of either instance, hold the units of the whole listing in key order,
     * each once, whichever instance holds them; the last page says there is no next.
     */
    private static void assertPagesAddUpToTheListing(final MonitMlApplication a, final MonitMlApplication b) throws Exception {
        final List<String> all = new ArrayList<>();
        ok(get(a, "/api/v1/units", null)).get("units").forEach(unit -> all.add(unit.get("key").asText()));
        assertThat(all).hasSize(2).isSorted();
        for (final MonitMlApplication asked : List.of(a, b)) {
            final List<String> paged = new ArrayList<>();
            String after = null;
            for (int page = 0; page < all.size(); page++) {
                final JsonNode answer = ok(get(asked, "/api/v1/units?limit=1" + (after == null ? ""
                    : "&after=" + java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8)), null));
                assertThat(answer.get("units")).hasSize(1);
                paged.add(answer.get("units").get(0).get("key").asText());
                after = answer.get("next").isNull() ? null : answer.get("next").asText();
                assertThat(after).as("next after page %d of %d", page + 1, all.size())
                    .isEqualTo(page + 1 < all.size() ? paged.get(page) : null);
            }
            assertThat(paged).as("the pages from instance %d", asked.httpPort()).isEqualTo(all);
        }
        assertThat(ok(get(b, "/api/v1/units", null)).get("next").isNull()).as("one page holds both").isTrue();
    }

    private MonitMlConfig instance(final EmbeddedRuntime broker, final String name) {
        return TestConfigs.connected(broker.bootstrapServers(), broker.schemaRegistryUrl(), "monitml-two-instances-it",
            dir.resolve(name), topology(), 2, MonitMlConfig.Api.OPEN);
    }

    /** Questions whose answers no longer change once the traffic stops: fixed ranges of closed windows, and the latest ones. */
    private static List<String> queries(final MonitMlApplication app) throws Exception {
        final JsonNode windows = ok(get(app, V2 + "/stats?last=10m", null)).get("windows");
        final String from = windows.get(0).get("windowStart").asText();
        final String to = windows.get(windows.size() - 1).get("windowStart").asText();
        final List<String> paths = new ArrayList<>(List.of("/api/v1/units", "/api/v1/units?variant=v2"));
        for (final String unit : List.of(V1, V2)) {
            paths.add(unit);
            paths.add(unit + "/stats?from=" + from + "&to=" + to);
            paths.add(unit + "/stats/latest");
            paths.add(unit + "/drift?from=" + from + "&to=" + to);
            paths.add(unit + "/drift/latest");
        }
        return paths;
    }

    private static Map<String, JsonNode> answers(final MonitMlApplication app, final List<String> paths) throws Exception {
        final Map<String, JsonNode> answers = new LinkedHashMap<>();
        for (final String path : paths) {
            answers.put(path, ok(get(app, path, null)));
        }
        return answers;
    }

    private static void collectServedBy(final JsonNode node, final Set<String> servedBy) {
        if (node.isObject()) {
            final JsonNode served = node.get("servedBy");
            if (served != null) {
                if (served.isArray()) {
                    served.forEach(s -> servedBy.add(s.asText()));
                } else {
                    servedBy.add(served.asText());
                }
            }
        }
    }

    private static Map<String, JsonNode> withoutServedBy(final Map<String, JsonNode> answers) {
        final Map<String, JsonNode> stripped = new LinkedHashMap<>();
        answers.forEach((path, answer) -> {
            final ObjectNode copy = answer.deepCopy();
            copy.remove("servedBy");
            stripped.put(path, copy);
        });
        return stripped;
    }

    private static void publishBaseline(final MonitMlApplication app) {
        BaselinePublisher.publish(app.config().bootstrapServers(), new SchemaRegistryClient(app.config().schemaRegistryUrl()),
            app.config().topics().baselines(), DemoBaseline.spec().key(), DemoBaseline.build(Instant.now()));
    }

    private static HttpRequest.Builder request(final MonitMlApplication app, final String path, final String token) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
            .timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private static HttpResponse<String> get(final MonitMlApplication app, final String path, final String token) throws Exception {
        return HTTP.send(request(app, path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(final HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    private static String message(final HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("message").asText();
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String inMessage) throws Exception {
        assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(status);
        final JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).contains(inMessage);
    }

    private static JsonNode byVariant(final JsonNode units, final String variant) {
        for (final JsonNode unit : units) {
            if (unit.path("unit").path("variant").asText().equals(variant)) {
                return unit;
            }
        }
        throw new AssertionError("no unit of variant " + variant + " in " + units);
    }

    private static JsonNode byName(final JsonNode features, final String name) {
        for (final JsonNode feature : features) {
            if (feature.get("name").asText().equals(name)) {
                return feature;
            }
        }
        throw new AssertionError("no feature " + name + " in " + features);
    }

    private static List<String> fieldNames(final JsonNode node) {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
