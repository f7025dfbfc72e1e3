package io.monitml.query;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.monitml.config.TopologySettings;
import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * {@code /units/{namespace}/{deployment}/{variant}/{model}} and its resources: the summary, closed
 * windows' statistics by range, the latest, the live ones, drift reports by range and the latest,
 * realized performance by range and the latest window with enough labels.
 * Each is answered where the unit's state lives; the summary's two parts may live on two instances.
 */
final class UnitRoute implements Route {

    private final QueryService service;
    private final Replies replies;
    private final Duration retention;
    private final Duration performanceRetention;
    private final long minLabels;
    private final Clock clock;

    /** @param settings the stores' retentions (the widest range asked for) and the labels a window needs to be the latest */
    UnitRoute(final QueryService service, final Replies replies, final TopologySettings settings, final Clock clock) {
        this.service = service;
        this.replies = replies;
        this.retention = settings.storeRetention();
        this.performanceRetention = settings.performanceRetention();
        this.minLabels = settings.groundTruth().minLabels();
        this.clock = clock;
    }

    /** Whether {@code path} is a unit's. */
    static boolean matches(final List<String> path) {
        return path.size() >= 5 && path.get(0).equals("units");
    }

    @Override
    public Reply answer(final ApiRequest request) {
        final Unit unit = unit(request.path());
        final String resource = String.join("/", request.path().subList(5, request.path().size()));
        return switch (resource) {
            case "" -> summary(unit);
            case "stats" -> {
                // The range is checked before any store is: a malformed one is a 400 even while starting.
                final TimeRange range = TimeRange.parse(request.query(), clock.instant(), retention);
                yield replies.unit(request, unit, service.closedStats(unit, range).map(windows -> ranged(unit, range)
                    .set("windows", UnitJson.windows(windows, true))));
            }
            case "stats/latest" -> replies.unit(request, unit, service.latestStats(unit)
                .map(stats -> UnitJson.header(unit).set("window", UnitJson.window(stats, true))));
            case "stats/live" -> replies.unit(request, unit, service.liveStats(unit)
                .map(windows -> UnitJson.header(unit).set("windows", UnitJson.windows(windows, false))));
            case "drift" -> {
                final TimeRange range = TimeRange.parse(request.query(), clock.instant(), retention);
                yield replies.unit(request, unit, service.driftReports(unit, range).map(reports -> {
                    final ObjectNode answer = ranged(unit, range);
                    final ArrayNode list = answer.putArray("reports");
                    reports.forEach(report -> list.add(ApiJson.of(report)));
                    return answer;
                }));
            }
            case "drift/latest" -> replies.unit(request, unit, service.latestDrift(unit)
                .map(report -> UnitJson.header(unit).set("report", ApiJson.of(report))));
            case "performance" -> {
                final TimeRange range = TimeRange.parse(request.query(), clock.instant(), performanceRetention);
                yield replies.unit(request, unit, service.performance(unit, range).map(reports -> {
                    final ObjectNode answer = ranged(unit, range);
                    final ArrayNode list = answer.putArray("windows");
                    reports.forEach(report -> list.add(ApiJson.of(report)));
                    return answer;
                }));
            }
            case "performance/latest" -> replies.unit(request, unit, service.latestPerformance(unit, minLabels)
                .map(report -> UnitJson.header(unit).put("minLabels", minLabels).set("window", ApiJson.of(report))));
            default -> throw ApiException.notFound("No resource " + resource + " for a unit; try stats, stats/latest, stats/live, drift,"
                + " drift/latest, performance, performance/latest");
        };
    }

    private static ObjectNode ranged(final Unit unit, final TimeRange range) {
        return UnitJson.header(unit).put("from", range.from().toString()).put("to", range.to().toString());
    }

    /** The unit's latest statistics and drift, from wherever each lives; 404 when neither exists. */
    private Reply summary(final Unit unit) {
        final JsonNode stats = replies.optional(unit, service.latestStats(unit)
            .map(last -> UnitJson.header(unit).set("window", UnitJson.window(last, true))), path(unit, "stats/latest"));
        final JsonNode drift = replies.optional(unit, service.latestDrift(unit)
            .map(report -> UnitJson.header(unit).set("report", ApiJson.of(report))), path(unit, "drift/latest"));
        if (stats == null && drift == null) {
            throw ApiException.notFound("Unknown unit " + unit + ": no closed window of its responses or requests");
        }
        final ObjectNode answer = UnitJson.summary(unit, stats == null ? null : stats.get("window"), drift == null ? null : drift.get("report"));
        final ArrayNode servedBy = answer.putArray("servedBy");
        for (final JsonNode part : new JsonNode[] {stats, drift}) {
            if (part != null && !contains(servedBy, part.path("servedBy").asText())) {
                servedBy.add(part.path("servedBy").asText());
            }
        }
        return replies.merged(answer);
    }

    private static boolean contains(final ArrayNode array, final String text) {
        for (final JsonNode item : array) {
            if (item.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static Unit unit(final List<String> path) {
        try {
            return new Unit(path.get(1), path.get(2), path.get(3), path.get(4));
        } catch (IllegalArgumentException | InvalidRecordException e) {
            throw ApiException.badRequest("Not a unit (namespace/deployment/variant/model): " + e.getMessage());
        }
    }

    /** The path of the unit's {@code resource} as another instance is asked it. */
    private static String path(final Unit unit, final String resource) {
        return QueryApi.PREFIX + "/units/" + String.join("/", encode(unit.namespace()), encode(unit.deployment()), encode(unit.variant()),
            encode(unit.model())) + "/" + resource;
    }

    private static String encode(final String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
