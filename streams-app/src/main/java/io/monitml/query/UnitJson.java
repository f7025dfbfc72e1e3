package io.monitml.query;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.monitml.avro.PredictionStats;
import io.monitml.ingest.Unit;

/** The JSON of a unit's answers: its header, its windows, and its summary as one unit and in listings. */
final class UnitJson {

    private UnitJson() {
    }

    /** {@code {"unit": {...}, "key": "..."}}, which every answer about one unit starts with. */
    static ObjectNode header(final Unit unit) {
        final ObjectNode answer = ApiJson.object();
        answer.set("unit", ApiJson.of(unit.toAvro()));
        answer.put("key", unit.key());
        return answer;
    }

    static ObjectNode window(final PredictionStats stats, final boolean closed) {
        return ApiJson.of(stats).put("closed", closed);
    }

    static ArrayNode windows(final List<PredictionStats> stats, final boolean closed) {
        final ArrayNode list = ApiJson.array();
        stats.forEach(window -> list.add(window(window, closed)));
        return list;
    }

    /** The unit's latest closed window and a digest of its latest drift report (either null), and its status. */
    static ObjectNode summary(final Unit unit, final JsonNode lastWindow, final JsonNode drift) {
        final ObjectNode node = header(unit);
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
            final ArrayNode watched = driftSummary.putArray("watchedFeatures");
            drift.path("features").forEach(feature -> {
                if (feature.path("drifted").asBoolean()) {
                    drifted.add(feature.path("name").asText());
                } else if (feature.path("watched").asBoolean()) {
                    watched.add(feature.path("name").asText());
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
}
