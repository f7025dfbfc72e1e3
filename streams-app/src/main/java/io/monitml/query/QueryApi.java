package io.monitml.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.monitml.avro.DriftReport;
import io.monitml.http.BearerToken;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.PredictionPartial;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.Unit;
import io.monitml.topology.Names;
import io.monitml.topology.PredictionStatsMapper;

/**
 * The interactive-query API under {@code /api/v1} (described by {@code /api/v1/openapi.json}):
 * monitored units, closed and live prediction statistics, drift reports, pipeline counters.
 *
 * <p>Any instance answers any question. A unit's state lives in the instance that owns its
 * partition: another instance forwards the request there (the owner answers from its own stores
 * and says so in {@code servedBy} and the {@value #SERVED_BY_HEADER} header). Listings ask every
 * instance and merge. A store that is not queryable now (start, restore, rebalance) or an owner
 * that does not answer gives 503 with {@code Retry-After}, at once.
 */
public final class QueryApi implements HttpHandler {

    public static final String PREFIX = "/api/v1";
    static final String SERVED_BY_HEADER = "X-MonitML-Served-By";

    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
    /** Live windows newer than the last closed one: more than a few only when the stream time stalls. */
    private static final int MAX_LIVE_WINDOWS = 10;

    private final Instances instances;
    private final BearerToken token;
    private final Duration retention;
    private final MeterRegistry registry;
    private final Clock clock;

    /**
     * @param streams   the running Kafka Streams client (null until it is created)
     * @param self      this instance as the others reach it (Kafka Streams' {@code application.server})
     * @param token     bearer token every request must carry; null: none
     * @param retention how long the stores keep closed windows: the widest range asked for
     */
    public QueryApi(final Supplier<KafkaStreams> streams, final HostInfo self, final String token, final Duration retention,
                    final MeterRegistry registry, final Clock clock) {
        this(streams, self, "http", token, retention, registry, clock);
    }

    /**
     * @param scheme how the other instances are reached, {@code http} or {@code https} (every instance
     *               of an application serves the same); https trusts the JVM's trust store
     *               ({@code -Djavax.net.ssl.trustStore}) and checks the advertised host name
     */
    public QueryApi(final Supplier<KafkaStreams> streams, final HostInfo self, final String scheme, final String token,
                    final Duration retention, final MeterRegistry registry, final Clock clock) {
        this.instances = new Instances(streams, self, scheme);
        this.token = BearerToken.of(token);
        this.retention = retention;
        this.registry = registry;
        this.clock = clock;
    }

    private record Request(List<String> path, Map<String, String> query, String pathAndQuery, String authorization, boolean forwarded) {
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    throw new ApiException(405, "The query API only answers GET");
                }
                authenticate(exchange);
                final Request request = request(exchange);
                final Reply reply = route(request);
                if (reply.servedBy() != null) {
                    exchange.getResponseHeaders().set(SERVED_BY_HEADER, reply.servedBy());
                }
                if (reply.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
                }
                send(exchange, reply.status(), reply.contentType(), reply.body());
            } catch (InvalidStateStoreException e) {
                // A store can stop being queryable between opening it and reading it (a rebalance began).
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(ApiException.RETRY_AFTER_SECONDS));
                send(exchange, 503, "application/json", error(503, "The stores are moving between instances or restoring ("
                    + e.getMessage() + "); ask again shortly"));
            } catch (ApiException e) {
                if (e.status() == 503) {
                    exchange.getResponseHeaders().set("Retry-After", Integer.toString(ApiException.RETRY_AFTER_SECONDS));
                }
                send(exchange, e.status(), "application/json", error(e.status(), e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("Query {} failed", exchange.getRequestURI(), e);
                send(exchange, 500, "application/json", error(500, "Internal error: " + e.getClass().getSimpleName()
                    + "; see the instance's log"));
            }
        }
    }

    private void authenticate(final HttpExchange exchange) {
        if (token == null) {
            return;
        }
        final String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (!token.admits(header)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"monitml\"");
            throw new ApiException(401, header == null ? "This API needs a bearer token: Authorization: Bearer <token>"
                : "The bearer token is not the one configured (--api-token-file / MONITML_API_TOKEN)");
        }
    }

    private static Request request(final HttpExchange exchange) {
        final String rawPath = exchange.getRequestURI().getRawPath();
        if (!rawPath.equals(PREFIX) && !rawPath.startsWith(PREFIX + "/")) {
            throw ApiException.notFound("No resource at " + rawPath + "; the query API is under " + PREFIX + "/, see "
                + PREFIX + "/openapi.json");
        }
        final List<String> segments = new ArrayList<>();
        for (final String segment : rawPath.substring(PREFIX.length()).split("/")) {
            if (!segment.isEmpty()) {
                segments.add(decode(segment));
            }
        }
        final Map<String, String> query = new LinkedHashMap<>();
        final String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawQuery != null) {
            for (final String pair : rawQuery.split("&")) {
                if (!pair.isEmpty()) {
                    final int equals = pair.indexOf('=');
                    final String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                    query.put(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
                }
            }
        }
        final String pathAndQuery = rawPath + (rawQuery == null ? "" : "?" + rawQuery);
        return new Request(segments, query, pathAndQuery, exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().containsKey(Instances.FORWARDED_HEADER));
    }

    /** Percent-decoding; a malformed escape ({@code %zz}, a lone {@code %}) is the client's error. */
    private static String decode(final String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed percent-encoding in the URL: " + e.getMessage());
        }
    }

    private record Reply(int status, String contentType, String body, String servedBy, String retryAfter) {

        static Reply json(final JsonNode body, final String servedBy) {
            return new Reply(200, "application/json", write(body), servedBy, null);
        }
    }

    private Reply route(final Request request) {
        final List<String> path = request.path();
        if (path.equals(List.of("openapi.json"))) {
            return new Reply(200, "application/json", openApi(), null, null);
        }
        if (path.equals(List.of("units"))) {
            return listUnits(request);
        }
        if (path.equals(List.of("pipeline"))) {
            return pipeline(request);
        }
        if (path.equals(List.of("instances"))) {
            return instancesReply();
        }
        if (path.size() >= 5 && path.get(0).equals("units")) {
            final Unit unit = unit(path);
            final List<String> rest = path.subList(5, path.size());
            if (rest.isEmpty()) {
                return unitSummary(request, unit);
            }
            final String first = rest.get(0);
            final boolean stats = first.equals("stats");
            if (stats || first.equals("drift")) {
                if (rest.size() == 1) {
                    // The parameters are checked before any store is: a malformed range is 400 even while starting.
                    TimeRange.parse(request.query(), clock.instant(), retention);
                }
                final String store = stats ? Names.LATEST_PREDICTION_STATS_STORE : Names.LATEST_DRIFT_STORE;
                final HostInfo owner = instances.owner(store, unit.key());
                if (!owner.equals(instances.self())) {
                    if (request.forwarded()) {
                        throw ApiException.notReady("Unit " + unit + " moved to another instance during the query");
                    }
                    return relay(instances.ask(owner, request.pathAndQuery(), request.authorization()));
                }
                final JsonNode answer = stats ? statsQuery(unit, rest, request.query()) : driftQuery(unit, rest, request.query());
                return Reply.json(answer, Instances.name(instances.self()));
            }
        }
        throw ApiException.notFound("No resource at " + PREFIX + "/" + String.join("/", path) + "; see " + PREFIX + "/openapi.json");
    }

    private static Unit unit(final List<String> path) {
        try {
            return new Unit(path.get(1), path.get(2), path.get(3), path.get(4));
        } catch (IllegalArgumentException | io.monitml.ingest.InvalidRecordException e) {
            throw ApiException.badRequest("Not a unit (namespace/deployment/variant/model): " + e.getMessage());
        }
    }

    private static Reply relay(final Instances.Answer answer) {
        String servedBy = null;
        if (answer.status() == 200) {
            try {
                final JsonNode body = ApiJson.MAPPER.readTree(answer.body());
                servedBy = body.path("servedBy").isTextual() ? body.path("servedBy").asText() : null;
            } catch (JsonProcessingException e) {
                throw ApiException.notReady("Another instance answered with something that is not JSON");
            }
        }
        return new Reply(answer.status(), "application/json", answer.body(), servedBy, answer.retryAfter());
    }

    // ---- one unit's prediction statistics (on the owner) ----

    private JsonNode statsQuery(final Unit unit, final List<String> rest, final Map<String, String> query) {
        final ReadOnlyKeyValueStore<String, PredictionStats> latest =
            instances.local(Names.LATEST_PREDICTION_STATS_STORE, QueryableStoreTypes.keyValueStore());
        final PredictionStats last = latest.get(unit.key());
        final List<PredictionStats> live = liveWindows(unit, last);
        if (last == null && live.isEmpty()) {
            throw ApiException.notFound("No prediction statistics for unit " + unit + ": unknown, or it has sent no response yet");
        }
        final ObjectNode answer = unitHeader(unit);
        if (rest.equals(List.of("stats"))) {
            final TimeRange range = TimeRange.parse(query, clock.instant(), retention);
            final ReadOnlyWindowStore<String, PredictionStats> windows =
                instances.local(Names.CLOSED_PREDICTION_STATS_STORE, QueryableStoreTypes.windowStore());
            final ArrayNode list = answer.put("from", range.from().toString()).put("to", range.to().toString()).putArray("windows");
            try (WindowStoreIterator<PredictionStats> found = windows.fetch(unit.key(), range.from(), range.to())) {
                found.forEachRemaining(entry -> list.add(closed(entry.value)));
            }
        } else if (rest.equals(List.of("stats", "latest"))) {
            if (last == null) {
                throw ApiException.notFound("Unit " + unit + " has closed no window yet; see " + PREFIX + "/units/" + unit.key() + "/stats/live");
            }
            answer.set("window", closed(last));
        } else if (rest.equals(List.of("stats", "live"))) {
            final ArrayNode list = answer.putArray("windows");
            live.forEach(stats -> list.add(ApiJson.of(stats).put("closed", false)));
        } else {
            throw ApiException.notFound("No resource " + String.join("/", rest) + " for a unit; try stats, stats/latest, stats/live");
        }
        return answer.put("servedBy", Instances.name(instances.self()));
    }

    /** The windows still open (newer than the last closed one), from the windowed aggregate's store, newest first. */
    private List<PredictionStats> liveWindows(final Unit unit, final PredictionStats lastClosed) {
        final ReadOnlyWindowStore<String, PredictionPartial> partials =
            instances.local(Names.PREDICTION_STATS_STORE, QueryableStoreTypes.windowStore());
        final long closedStart = lastClosed == null ? Long.MIN_VALUE : lastClosed.getWindowStart().toEpochMilli();
        final long windowMillis = lastClosed == null ? -1 : lastClosed.getWindowEnd().toEpochMilli() - closedStart;
        final List<PredictionStats> live = new ArrayList<>();
        try (KeyValueIterator<org.apache.kafka.streams.kstream.Windowed<String>, PredictionPartial> found =
                 partials.backwardFetch(unit.key(), unit.key(), Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            while (found.hasNext() && live.size() < MAX_LIVE_WINDOWS) {
                final KeyValue<org.apache.kafka.streams.kstream.Windowed<String>, PredictionPartial> entry = found.next();
                final long start = entry.key.window().start();
                if (start <= closedStart) {
                    break;
                }
                final long end = windowMillis > 0 ? start + windowMillis : entry.key.window().end();
                live.add(PredictionStatsMapper.toStats(start, end, entry.value));
            }
        }
        return live;
    }

    private static ObjectNode closed(final PredictionStats stats) {
        return ApiJson.of(stats).put("closed", true);
    }

    private static ObjectNode unitHeader(final Unit unit) {
        final ObjectNode answer = ApiJson.object();
        answer.set("unit", ApiJson.of(unit.toAvro()));
        answer.put("key", unit.key());
        return answer;
    }

    // ---- one unit's drift reports (on the owner) ----

    private JsonNode driftQuery(final Unit unit, final List<String> rest, final Map<String, String> query) {
        final ReadOnlyKeyValueStore<String, DriftReport> latest = instances.local(Names.LATEST_DRIFT_STORE, QueryableStoreTypes.keyValueStore());
        final DriftReport last = latest.get(unit.key());
        if (last == null) {
            throw ApiException.notFound("No drift report for unit " + unit + ": unknown, or no window of its requests has closed yet");
        }
        final ObjectNode answer = unitHeader(unit);
        if (rest.equals(List.of("drift"))) {
            final TimeRange range = TimeRange.parse(query, clock.instant(), retention);
            final ReadOnlyWindowStore<String, DriftReport> reports = instances.local(Names.DRIFT_REPORTS_STORE, QueryableStoreTypes.windowStore());
            final ArrayNode list = answer.put("from", range.from().toString()).put("to", range.to().toString()).putArray("reports");
            try (WindowStoreIterator<DriftReport> found = reports.fetch(unit.key(), range.from(), range.to())) {
                found.forEachRemaining(entry -> list.add(ApiJson.of(entry.value)));
            }
        } else if (rest.equals(List.of("drift", "latest"))) {
            answer.set("report", ApiJson.of(last));
        } else {
            throw ApiException.notFound("No resource " + String.join("/", rest) + " for a unit; try drift, drift/latest");
        }
        return answer.put("servedBy", Instances.name(instances.self()));
    }

    // ---- a unit's summary: its latest statistics and drift, which may live on two instances ----

    private Reply unitSummary(final Request request, final Unit unit) {
        final JsonNode stats = optional(unit, List.of("stats", "latest"), Names.LATEST_PREDICTION_STATS_STORE, request);
        final JsonNode drift = optional(unit, List.of("drift", "latest"), Names.LATEST_DRIFT_STORE, request);
        if (stats == null && drift == null) {
            throw ApiException.notFound("Unknown unit " + unit + ": no closed window of its responses or requests");
        }
        final ObjectNode answer = summary(unit, stats == null ? null : stats.get("window"), drift == null ? null : drift.get("report"));
        final ArrayNode servedBy = answer.putArray("servedBy");
        for (final JsonNode part : new JsonNode[] {stats, drift}) {
            if (part != null && !containsText(servedBy, part.path("servedBy").asText())) {
                servedBy.add(part.path("servedBy").asText());
            }
        }
        return Reply.json(answer, Instances.name(instances.self()));
    }

    /** The unit's {@code rest} resource from the owner of {@code store} (this instance or another), or null for 404. */
    private JsonNode optional(final Unit unit, final List<String> rest, final String store, final Request request) {
        final HostInfo owner = instances.owner(store, unit.key());
        if (owner.equals(instances.self())) {
            try {
                return rest.get(0).equals("stats") ? statsQuery(unit, rest, Map.of()) : driftQuery(unit, rest, Map.of());
            } catch (ApiException e) {
                if (e.status() == 404) {
                    return null;
                }
                throw e;
            }
        }
        final String path = PREFIX + "/units/" + pathOf(unit) + "/" + String.join("/", rest);
        final Instances.Answer answer = instances.ask(owner, path, request.authorization());
        if (answer.status() == 404) {
            return null;
        }
        if (answer.status() != 200) {
            throw new ApiException(answer.status() == 503 ? 503 : 502, "Instance " + Instances.name(owner) + " answered "
                + answer.status() + ": " + answer.body());
        }
        return read(answer.body());
    }

    private static ObjectNode summary(final Unit unit, final JsonNode lastWindow, final JsonNode drift) {
        final ObjectNode node = unitHeader(unit);
        node.set("lastWindow", lastWindow == null ? NullNode.instance : lastWindow);
        if (drift == null) {
            node.putNull("drift");
        } else {
            final ObjectNode driftSummary = node.putObject("drift");
            driftSummary.put("status", drift.path("status").asText());
            driftSummary.set("windowStart", drift.path("windowStart"));
            driftSummary.set("windowEnd", drift.path("windowEnd"));
            driftSummary.put("driftDetected", drift.path("driftDetected").asBoolean());
            final ArrayNode drifted = driftSummary.putArray("driftedFeatures");
            drift.path("features").forEach(feature -> {
                if (feature.path("drifted").asBoolean()) {
                    drifted.add(feature.path("name").asText());
                }
            });
        }
        node.put("status", status(lastWindow, drift));
        return node;
    }

    /** DRIFT when the features or the predictions drifted, else the drift report's status, else NO_DRIFT_REPORT. */
    private static String status(final JsonNode lastWindow, final JsonNode drift) {
        final boolean predictionsDrifted = lastWindow != null && lastWindow.path("drift").path("drifted").asBoolean(false);
        if (predictionsDrifted || drift != null && drift.path("driftDetected").asBoolean(false)) {
            return "DRIFT";
        }
        return drift == null ? "NO_DRIFT_REPORT" : drift.path("status").asText();
    }

    // ---- listings: every instance's local part, merged ----

    private Reply listUnits(final Request request) {
        final ObjectNode answer = ApiJson.object();
        if (request.forwarded()) {
            answer.set("units", localUnits());
            answer.putArray("servedBy").add(Instances.name(instances.self()));
            return Reply.json(answer, Instances.name(instances.self()));
        }
        final Map<String, JsonNode> lastWindows = new TreeMap<>();
        final Map<String, JsonNode> drifts = new TreeMap<>();
        final ArrayNode servedBy = ApiJson.array();
        for (final JsonNode part : gather(request, "units", this::localUnits)) {
            part.path("units").forEach(unit -> {
                if (!unit.path("lastWindow").isNull()) {
                    lastWindows.put(unit.path("key").asText(), unit.path("lastWindow"));
                }
                if (!unit.path("drift").isNull()) {
                    drifts.put(unit.path("key").asText(), unit.path("drift"));
                }
            });
            part.path("servedBy").forEach(servedBy::add);
        }
        final ArrayNode units = answer.putArray("units");
        final java.util.SortedSet<String> keys = new java.util.TreeSet<>(lastWindows.keySet());
        keys.addAll(drifts.keySet());
        for (final String key : keys) {
            final Unit unit = Unit.fromKey(key);
            if (matches(unit, request.query())) {
                units.add(summary(unit, lastWindows.get(key), drifts.get(key)));
            }
        }
        answer.set("servedBy", servedBy);
        return Reply.json(answer, Instances.name(instances.self()));
    }

    private static boolean matches(final Unit unit, final Map<String, String> query) {
        return matchesOne(query.get("namespace"), unit.namespace()) && matchesOne(query.get("deployment"), unit.deployment())
            && matchesOne(query.get("variant"), unit.variant()) && matchesOne(query.get("model"), unit.model());
    }

    private static boolean matchesOne(final String wanted, final String actual) {
        return wanted == null || wanted.isEmpty() || wanted.equals(actual);
    }

    /** This instance's units: {key, lastWindow, drift} from its own latest-window stores. */
    private ArrayNode localUnits() {
        final Map<String, ObjectNode> units = new TreeMap<>();
        final ReadOnlyKeyValueStore<String, PredictionStats> stats =
            instances.local(Names.LATEST_PREDICTION_STATS_STORE, QueryableStoreTypes.keyValueStore());
        final ReadOnlyKeyValueStore<String, DriftReport> drift = instances.local(Names.LATEST_DRIFT_STORE, QueryableStoreTypes.keyValueStore());
        try (KeyValueIterator<String, PredictionStats> all = stats.all()) {
            all.forEachRemaining(entry -> localUnit(units, entry.key).set("lastWindow", closed(entry.value)));
        }
        try (KeyValueIterator<String, DriftReport> all = drift.all()) {
            all.forEachRemaining(entry -> localUnit(units, entry.key).set("drift", ApiJson.of(entry.value)));
        }
        final ArrayNode list = ApiJson.array();
        units.values().forEach(list::add);
        return list;
    }

    private static ObjectNode localUnit(final Map<String, ObjectNode> units, final String key) {
        return units.computeIfAbsent(key, k -> {
            final ObjectNode unit = ApiJson.object().put("key", k);
            unit.putNull("lastWindow");
            unit.putNull("drift");
            return unit;
        });
    }

    /** This instance's {@code field} and every other instance's, each from its own stores. */
    private List<JsonNode> gather(final Request request, final String field, final Supplier<ArrayNode> local) {
        final List<JsonNode> parts = new ArrayList<>();
        for (final HostInfo host : instances.all()) {
            if (host.equals(instances.self())) {
                parts.add(ApiJson.object().<ObjectNode>set(field, local.get())
                    .set("servedBy", ApiJson.array().add(Instances.name(host))));
            } else {
                final Instances.Answer answer = instances.ask(host, request.pathAndQuery(), request.authorization());
                if (answer.status() != 200) {
                    throw new ApiException(answer.status() == 503 ? 503 : 502,
                        "Instance " + Instances.name(host) + " answered " + answer.status() + ": " + answer.body());
                }
                parts.add(read(answer.body()));
            }
        }
        return parts;
    }

    // ---- pipeline counters ----

    private Reply pipeline(final Request request) {
        final ObjectNode answer = ApiJson.object();
        if (request.forwarded()) {
            answer.set("counters", localCounters());
            answer.putArray("servedBy").add(Instances.name(instances.self()));
            return Reply.json(answer, Instances.name(instances.self()));
        }
        final Map<String, ObjectNode> summed = new TreeMap<>();
        final ArrayNode servedBy = ApiJson.array();
        for (final JsonNode part : gather(request, "counters", this::localCounters)) {
            part.path("counters").forEach(counter -> {
                final String id = counter.path("name").asText() + counter.path("labels").toString();
                final ObjectNode sum = summed.computeIfAbsent(id, k -> counter.deepCopy());
                if (sum != counter) {
                    sum.put("value", sum.path("value").asDouble() + counter.path("value").asDouble());
                }
            });
            part.path("servedBy").forEach(servedBy::add);
        }
        final ObjectNode totals = answer.putObject("totals");
        final ArrayNode counters = answer.putArray("counters");
        summed.values().forEach(counter -> {
            counters.add(counter);
            final String name = counter.path("name").asText();
            totals.put(name, totals.path(name).asDouble(0) + counter.path("value").asDouble());
        });
        answer.set("servedBy", servedBy);
        return Reply.json(answer, Instances.name(instances.self()));
    }

    /** MonitML's own counters in this instance, named as on /metrics. */
    private ArrayNode localCounters() {
        final ArrayNode counters = ApiJson.array();
        for (final Meter meter : registry.getMeters()) {
            final Meter.Id id = meter.getId();
            if (!id.getName().startsWith("monitml.")) {
                continue;
            }
            final double value;
            if (meter instanceof Counter counter) {
                value = counter.count();
            } else if (meter instanceof FunctionCounter counter) {
                value = counter.count();
            } else {
                continue;
            }
            final String name = registry.config().namingConvention().name(id.getName(), id.getType(), id.getBaseUnit());
            final ObjectNode node = counters.addObject().put("name", name.endsWith("_total") ? name : name + "_total");
            final ObjectNode labels = node.putObject("labels");
            for (final Tag tag : id.getTags()) {
                labels.put(tag.getKey(), tag.getValue());
            }
            node.put("value", value);
        }
        return counters;
    }

    private Reply instancesReply() {
        final ObjectNode answer = ApiJson.object();
        final ArrayNode list = answer.putArray("instances");
        for (final HostInfo host : instances.all()) {
            list.addObject().put("instance", Instances.name(host)).put("self", host.equals(instances.self()));
        }
        return Reply.json(answer.put("servedBy", Instances.name(instances.self())), Instances.name(instances.self()));
    }

    // ---- helpers ----

    private static String pathOf(final Unit unit) {
        return String.join("/", encode(unit.namespace()), encode(unit.deployment()), encode(unit.variant()), encode(unit.model()));
    }

    private static String encode(final String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean containsText(final ArrayNode array, final String text) {
        for (final JsonNode item : array) {
            if (item.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode read(final String body) {
        try {
            return ApiJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(502, "Another instance answered with something that is not JSON");
        }
    }

    private static String write(final JsonNode node) {
        try {
            return ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String error(final int status, final String message) {
        return write(ApiJson.object().put("status", status).put("error", reason(status)).put("message", message));
    }

    private static String reason(final int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 502 -> "bad gateway";
            case 503 -> "not ready";
            default -> "internal error";
        };
    }

    private static String openApi() {
        try (InputStream in = QueryApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType, final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        final boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
