package io.monitml.query;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.monitml.ingest.Unit;

/**
 * {@code /units}: every instance's units, merged, in pages of {@code limit} units (default
 * {@value Page#DEFAULT}, at most {@value Page#MAX}) after the key {@code after}, ordered by key,
 * with the key to ask after next in {@code next} (null on the last page); filtered by namespace,
 * deployment, variant and model.
 */
final class UnitsRoute implements Route {

    private final QueryService service;
    private final Replies replies;

    UnitsRoute(final QueryService service, final Replies replies) {
        this.service = service;
        this.replies = replies;
    }

    @Override
    public Reply answer(final ApiRequest request) {
        final Page page = Page.of(request.query());
        final UnitFilter filter = UnitFilter.of(request.query());
        final List<QueryService.UnitState> local = Replies.value(service.localUnits(page, filter));
        final ObjectNode answer = ApiJson.object();
        if (request.forwarded()) {
            final ArrayNode units = answer.putArray("units");
            local.stream().limit(page.limit()).forEach(unit -> units.add(part(unit)));
            answer.put("next", local.size() > page.limit() ? local.get(page.limit() - 1).key() : null);
            answer.putArray("servedBy").add(replies.self());
            return replies.merged(answer);
        }
        // Each instance answers its first page; the first page of their union is the answer (a unit's
        // statistics and drift may come from two instances), and there is more if any had more.
        final ObjectNode own = ApiJson.object();
        final ArrayNode ownUnits = own.putArray("units");
        local.forEach(unit -> ownUnits.add(part(unit)));
        final Map<String, JsonNode> lastWindows = new TreeMap<>();
        final Map<String, JsonNode> drifts = new TreeMap<>();
        final SortedSet<String> keys = new TreeSet<>();
        // Sorted: the same answer whichever instance is asked.
        final SortedSet<String> servedBy = new TreeSet<>();
        boolean more = false;
        for (final JsonNode part : replies.gather(request, Replies.value(service.instances()), own)) {
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
            units.add(UnitJson.summary(Unit.fromKey(key), lastWindows.get(key), drifts.get(key)));
            last = key;
        }
        answer.put("next", more ? last : null);
        servedBy.forEach(answer.putArray("servedBy")::add);
        return replies.merged(answer);
    }

    /** An instance's part of a listing: {key, lastWindow, drift} from its own stores. */
    private static ObjectNode part(final QueryService.UnitState unit) {
        final ObjectNode node = ApiJson.object().put("key", unit.key());
        node.set("lastWindow", unit.lastWindow() == null ? null : UnitJson.window(unit.lastWindow(), true));
        node.set("drift", unit.drift() == null ? null : ApiJson.of(unit.drift()));
        return node;
    }
}
