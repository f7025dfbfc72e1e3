package io.monitml.query;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

/** {@code /pipeline}: MonitML's own counters, named as on /metrics, summed over every instance, with totals per name. */
final class PipelineRoute implements Route {

    private final QueryService service;
    private final Replies replies;
    private final MeterRegistry registry;

    PipelineRoute(final QueryService service, final Replies replies, final MeterRegistry registry) {
        this.service = service;
        this.replies = replies;
        this.registry = registry;
    }

    @Override
    public Reply answer(final ApiRequest request) {
        final ObjectNode answer = ApiJson.object();
        if (request.forwarded()) {
            answer.set("counters", localCounters());
            answer.putArray("servedBy").add(replies.self());
            return replies.merged(answer);
        }
        final Map<String, ObjectNode> summed = new TreeMap<>();
        // Sorted: the same answer whichever instance is asked.
        final SortedSet<String> servedBy = new TreeSet<>();
        final ObjectNode own = ApiJson.object();
        own.set("counters", localCounters());
        for (final JsonNode part : replies.gather(request, Replies.value(service.instances()), own)) {
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
        return replies.merged(answer);
    }

    /**
     * MonitML's own counters in this instance, named as on /metrics, read in name order: the records
     * read ({@code records.in}) after those decoded and dead-lettered, which count only records
     * already read, so that a snapshot taken while records flow never shows more out than in.
     */
    private ArrayNode localCounters() {
        final ArrayNode counters = ApiJson.array();
        final List<Meter> meters = registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith("monitml."))
            .sorted(Comparator.comparing(meter -> meter.getId().getName())).toList();
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
}
