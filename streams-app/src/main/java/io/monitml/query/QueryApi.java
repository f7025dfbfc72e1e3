package io.monitml.query;

import java.io.IOException;
import java.io.InputStream;
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
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.monitml.avro.DriftReport;
import io.monitml.avro.PredictionPartial;
import io.monitml.avro.PredictionStats;
import io.monitml.http.BearerToken;
import io.monitml.http.JsonReplies;
import io.monitml.ingest.Unit;
import io.monitml.topology.Names;
import io.monitml.topology.PredictionRecords;

/**
 * The interactive-query API under {@code /api/v1} (described by {@code /api/v1/openapi.json}):
 * monitored units, closed and live prediction statistics, drift reports, pipeline counters.
 *
 * <p>Any instance answers any question. A unit's state lives in the instance that owns its
 * partition: another instance forwards the request there (the owner answers from its own stores
 * and says so in {@code servedBy} and the {@value #SERVED_BY_HEADER} header). Listings ask every
 * instance at once and merge; {@code /units} comes in pages of {@code limit} units (default
 * {@value #DEFAULT_PAGE}, at most {@value #MAX_PAGE}) after the key {@code after}, ordered by key,
 * with the key to ask after next in {@code next} (null on the last page). A store that is not
 * queryable now (start, restore, rebalance) or an owner that does not answer gives 503 with
 * {@code Retry-After}, at once. {@link io.monitml.http.HttpApi} routes only GET and HEAD without a
 * body here.
 */
public final class QueryApi implements org.eclipse.jetty.server.Request.Handler {

    public static final String PREFIX = "/api/v1";
    static final String SERVED_BY_HEADER = "X-MonitML-Served-By";

    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
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
        this(new Instances(streams, self, scheme, token, Instances.DEFAULT_DEADLINE, Instances.DEFAULT_MAX_ANSWER_BYTES), token,
            retention, registry, clock);
    }

    /**
     * @param peerDeadline  how long asking another instance may take, connect to last byte
     * @param peerMaxBytes  the largest answer taken from another instance; more is a 502
     */
    QueryApi(final Supplier<KafkaStreams> streams, final HostInfo self, final String scheme, final String token,
             final Duration retention, final MeterRegistry registry, final Clock clock, final Duration peerDeadline,
             final int peerMaxBytes) {
        this(new Instances(streams, self, scheme, token, peerDeadline, peerMaxBytes), token, retention, registry, clock);
    }

    private QueryApi(final Instances instances, final String token, final Duration retention, final MeterRegistry registry,
                     final Clock clock) {
        this.instances = instances;
        this.token = BearerToken.of(token);
        this.retention = retention;
        this.registry = registry;
        this.clock = clock;
    }

    private record Request(List<String> path, Map<String, String> query, String pathAndQuery, boolean forwarded) {
    }

    @Override
    public boolean handle(final org.eclipse.jetty.server.Request http, final Response response, final Callback callback) {
        try {
            authenticate(http, response);
            final Reply reply = route(request(http));
            if (reply.servedBy() != null) {
                response.getHeaders().put(SERVED_BY_HEADER, reply.servedBy());
            }
            if (reply.retryAfter() != null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, reply.retryAfter());
            }
            JsonReplies.send(response, callback, reply.status(), JsonReplies.JSON, reply.body());
        } catch (InvalidStateStoreException e) {
            // A store can stop being queryable between opening it and reading it (a rebalance began).
            LOG.debug("Query {} met a store that is not queryable: {}", http.getHttpURI().getPath(), e.getMessage());
            fail(response, callback, ApiException.notReady("The stores are moving between instances or restoring; ask again shortly"));
        } catch (ApiException e) {
            fail(response, callback, e);
        } catch (RuntimeException e) {
            LOG.warn("Query {} failed", http.getHttpURI().getPath(), e);
            fail(response, callback, new ApiException(500, "The query could not be answered; the instance's log has the reason"));
        }
        return true;
    }

    private static void fail(final Response response, final Callback callback, final ApiException e) {
        if (e.status() == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(ApiException.RETRY_AFTER_SECONDS));
        }
        JsonReplies.error(response, callback, e.status(), e.getMessage());
    }

    private void authenticate(final org.eclipse.jetty.server.Request http, final Response response) {
        if (token == null) {
            return;
        }
        final String header = http.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (!token.admits(header)) {
            throw new ApiException(401, header == null ? "This API needs a bearer token: Authorization: Bearer <token>"
                : "The bearer token is not the one configured (--api-token-file / MONITML_API_TOKEN)");
        }
    }

    private static Request request(final org.eclipse.jetty.server.Request http) {
        final String rawPath = http.getHttpURI().getPath();
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
        final String rawQuery = http.getHttpURI().getQuery();
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
        return new Request(segments, query, pathAndQuery, http.getHeaders().contains(Instances.FORWARDED_HEADER));
    }

    /** Percent-decoding; a malformed escape ({@code %zz}, a lone {@code %}) is the client's error. */
    private static String decode(final String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed percent-encoding in the URL (a % must be followed by two hex digits)");
        }
    }

    private record Reply(int status, byte[] body, String servedBy, String retryAfter) {

        static Reply json(final JsonNode body, final String servedBy) {
            return new Reply(200, write(body), servedBy, null);
        }
    }

    private Reply route(final Request request) {
        final List<String> path = request.path();
        if (path.equals(List.of("openapi.json"))) {
            return new Reply(200, openApi(), null, null);
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
                    return relay(instances.ask(owner, request.pathAndQuery()), unit);
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
        } catch (IllegalArgumentException | io.monitml.ingest.decoded.InvalidRecordException e) {
            throw ApiException.badRequest("Not a unit (namespace/deployment/variant/model): " + e.getMessage());
        }
    }

    /**
     * The owner's answer: a 200 as it came (once it reads as JSON); anything else in this instance's
     * own words, so that nothing a peer sends but its data reaches the caller.
     */
    private static Reply relay(final Instances.Answer answer, final Unit unit) {
        if (answer.status() != 200) {
            throw peerFailure(answer, unit);
        }
        final JsonNode body = read(answer.body());
        final String servedBy = body.path("servedBy").isTextual() ? body.path("servedBy").asText() : null;
        return new Reply(200, answer.body(), servedBy, null);
    }

    /** An answer other than 200 from the instance that owns {@code unit} (null: a listing's part). */
    private static ApiException peerFailure(final Instances.Answer answer, final Unit unit) {
        final String what = unit == null ? "Another instance of MonitML" : "The instance that owns unit " + unit;
        return switch (answer.status()) {
            case 404 -> ApiException.notFound(what + " has no such resource: unknown, or no window of it has closed yet");
            case 503 -> ApiException.notReady(what + " is not ready (starting, restoring or rebalancing); ask again shortly");
            default -> new ApiException(502, what + " answered " + answer.status());
        };
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
                live.add(PredictionRecords.toStats(start, end, entry.value));
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
        final Instances.Answer answer = instances.ask(owner, path);
        if (answer.status() == 404) {
            return null;
        }
        if (answer.status() != 200) {
            throw peerFailure(answer, unit);
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
        final Page page = Page.of(request.query());
        final ObjectNode answer = ApiJson.object();
        if (request.forwarded()) {
            final List<ObjectNode> local = localUnits(page, request.query());
            final ArrayNode units = answer.putArray("units");
            local.stream().limit(page.limit()).forEach(units::add);
            answer.put("next", local.size() > page.limit() ? local.get(page.limit() - 1).path("key").asText() : null);
            answer.putArray("servedBy").add(Instances.name(instances.self()));
            return Reply.json(answer, Instances.name(instances.self()));
        }
        // Each instance answers its first page; the first page of their union is the answer (a unit's
        // statistics and drift may come from two instances), and there is more if any had more.
        final Map<String, JsonNode> lastWindows = new TreeMap<>();
        final Map<String, JsonNode> drifts = new TreeMap<>();
        final java.util.SortedSet<String> keys = new java.util.TreeSet<>();
        // Sorted: the same answer whichever instance is asked.
        final java.util.SortedSet<String> servedBy = new java.util.TreeSet<>();
        boolean more = false;
        for (final JsonNode part : gather(request, () -> {
            final List<ObjectNode> local = localUnits(page, request.query());
            final ObjectNode own = ApiJson.object();
            local.forEach(own.putArray("units")::add);
            return own;
        })) {
            part.path("units").forEach(unit -> {
                final String key = unit.path("key").asText();
                keys.add(key);
                if (!unit.path("lastWindow").isNull()) {
                    lastWindows.put(key, unit.path("lastWindow"));
                }
                if (!unit.path("drift").isNull()) {
                    drifts.put(key, unit.path("drift"));
                }
            });
            more |= part.path("next").isTextual();
            part.path("servedBy").forEach(name -> servedBy.add(name.asText()));
        }
        final ArrayNode units = answer.putArray("units");
        String last = null;
        for (final String key : keys) {
            if (units.size() == page.limit()) {
                more = true;
                break;
            }
            units.add(summary(Unit.fromKey(key), lastWindows.get(key), drifts.get(key)));
            last = key;
        }
        answer.put("next", more ? last : null);
        servedBy.forEach(answer.putArray("servedBy")::add);
        return Reply.json(answer, Instances.name(instances.self()));
    }

    /**
     * A page of {@code /units}: at most {@code limit} units whose key sorts after {@code after}.
     *
     * @param after null: from the first unit
     */
    record Page(int limit, String after) {

        static Page of(final Map<String, String> query) {
            int limit = DEFAULT_PAGE;
            final String given = query.get("limit");
            if (given != null) {
                try {
                    limit = Integer.parseInt(given.trim());
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 1 || limit > MAX_PAGE) {
                    throw ApiException.badRequest("limit=" + given + " is not a number of units from 1 to " + MAX_PAGE);
                }
            }
            final String after = query.get("after");
            return new Page(limit, after == null || after.isEmpty() ? null : after);
        }

        boolean admits(final String key) {
            return after == null || key.compareTo(after) > 0;
        }
    }

    private static boolean matches(final Unit unit, final Map<String, String> query) {
        return matchesOne(query.get("namespace"), unit.namespace()) && matchesOne(query.get("deployment"), unit.deployment())
            && matchesOne(query.get("variant"), unit.variant()) && matchesOne(query.get("model"), unit.model());
    }

    private static boolean matchesOne(final String wanted, final String actual) {
        return wanted == null || wanted.isEmpty() || wanted.equals(actual);
    }

    /**
     * This instance's units after the page's key that match the query: {key, lastWindow, drift}
     * from its own latest-window stores, ordered by key, at most one more than the page holds (so
     * that the caller knows whether there are more).
     */
    private List<ObjectNode> localUnits(final Page page, final Map<String, String> query) {
        final int wanted = page.limit() + 1;
        final Map<String, ObjectNode> units = new TreeMap<>();
        final ReadOnlyKeyValueStore<String, PredictionStats> stats =
            instances.local(Names.LATEST_PREDICTION_STATS_STORE, QueryableStoreTypes.keyValueStore());
        final ReadOnlyKeyValueStore<String, DriftReport> drift = instances.local(Names.LATEST_DRIFT_STORE, QueryableStoreTypes.keyValueStore());
        // The stores are ordered by key: each is read from the page's start until it gave enough matching units.
        try (KeyValueIterator<String, PredictionStats> found = page.after() == null ? stats.all() : stats.range(page.after(), null)) {
            for (int taken = 0; taken < wanted && found.hasNext();) {
                final KeyValue<String, PredictionStats> entry = found.next();
                if (page.admits(entry.key) && matches(Unit.fromKey(entry.key), query)) {
                    localUnit(units, entry.key).set("lastWindow", closed(entry.value));
                    taken++;
                }
            }
        }
        try (KeyValueIterator<String, DriftReport> found = page.after() == null ? drift.all() : drift.range(page.after(), null)) {
            for (int taken = 0; taken < wanted && found.hasNext();) {
                final KeyValue<String, DriftReport> entry = found.next();
                if (page.admits(entry.key) && matches(Unit.fromKey(entry.key), query)) {
                    localUnit(units, entry.key).set("drift", ApiJson.of(entry.value));
                    taken++;
                }
            }
        }
        return units.values().stream().limit(wanted).toList();
    }

    private static ObjectNode localUnit(final Map<String, ObjectNode> units, final String key) {
        return units.computeIfAbsent(key, k -> {
            final ObjectNode unit = ApiJson.object().put("key", k);
            unit.putNull("lastWindow");
            unit.putNull("drift");
            return unit;
        });
    }

    /** This instance's part and every other instance's, each from its own stores; the others are asked at once. */
    private List<JsonNode> gather(final Request request, final Supplier<ObjectNode> local) {
        final List<HostInfo> others = new ArrayList<>(instances.all());
        others.remove(instances.self());
        final List<JsonNode> parts = new ArrayList<>();
        parts.add(local.get().set("servedBy", ApiJson.array().add(Instances.name(instances.self()))));
        if (!others.isEmpty()) {
            for (final Instances.Answer answer : instances.askAll(others, request.pathAndQuery())) {
                if (answer.status() != 200) {
                    throw peerFailure(answer, null);
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
        // Sorted: the same answer whichever instance is asked.
        final java.util.SortedSet<String> servedBy = new java.util.TreeSet<>();
        for (final JsonNode part : gather(request, () -> ApiJson.object().set("counters", localCounters()))) {
            part.path("counters").forEach(counter -> {
                final String id = counter.path("name").asText() + counter.path("labels").toString();
                // The first instance's counter is copied, the others' added to it (a copy is never the
                // counter itself: comparing them counted the first instance twice).
                final ObjectNode sum = summed.get(id);
                if (sum == null) {
                    summed.put(id, counter.deepCopy());
                } else {
                    sum.put("value", sum.path("value").asDouble() + counter.path("value").asDouble());
                }
            });
            part.path("servedBy").forEach(name -> servedBy.add(name.asText()));
        }
        final ObjectNode totals = answer.putObject("totals");
        final ArrayNode counters = answer.putArray("counters");
        summed.values().forEach(counter -> {
            counters.add(counter);
            final String name = counter.path("name").asText();
            totals.put(name, totals.path(name).asDouble(0) + counter.path("value").asDouble());
        });
        servedBy.forEach(answer.putArray("servedBy")::add);
        return Reply.json(answer, Instances.name(instances.self()));
    }

    /**
     * MonitML's own counters in this instance, named as on /metrics, read in name order: the records
     * read ({@code records.in}) after those decoded and dead-lettered, which count only records
     * already read, so that a snapshot taken while records flow never shows more out than in.
     */
    private ArrayNode localCounters() {
        final ArrayNode counters = ApiJson.array();
        final List<Meter> meters = registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith("monitml."))
            .sorted(java.util.Comparator.comparing(meter -> meter.getId().getName())).toList();
        for (final Meter meter : meters) {
            final Meter.Id id = meter.getId();
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

    private static JsonNode read(final byte[] body) {
        try {
            final JsonNode node = ApiJson.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ApiException(502, "Another instance of MonitML answered with something that is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ApiException(502, "Another instance of MonitML answered with something that is not JSON");
        }
    }

    private static byte[] write(final JsonNode node) {
        try {
            return ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] openApi() {
        try (InputStream in = QueryApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
