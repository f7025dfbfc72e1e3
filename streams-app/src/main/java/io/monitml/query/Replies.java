package io.monitml.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.state.HostInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.monitml.ingest.Unit;

/**
 * Turns outcomes and other instances' answers into replies: the one place that decides what
 * status each gets. A local answer is a 200 served by this instance; a remote one is asked of its
 * owner (once: an instance asked by another answers from its own stores or not at all) and relayed
 * when it is a 200; anything else is said in this instance's own words, so that nothing a peer
 * sends but its data reaches the caller.
 */
final class Replies {

    private final Instances instances;
    private final String self;

    Replies(final Instances instances, final HostInfo self) {
        this.instances = instances;
        this.self = Instances.name(self);
    }

    String self() {
        return self;
    }

    /** A 200 with this instance's answer (which says it served it). */
    Reply local(final ObjectNode answer) {
        return new Reply(write(answer.put("servedBy", self)), self);
    }

    /** A 200 with a listing merged from every instance's part (whose {@code servedBy} lists them). */
    Reply merged(final ObjectNode answer) {
        return new Reply(write(answer), self);
    }

    /** A 200 with a document of no instance's stores. */
    static Reply document(final byte[] body) {
        return new Reply(body, null);
    }

    /** The answer to a question about {@code unit}: this instance's, or its owner's as the owner gave it. */
    Reply unit(final ApiRequest request, final Unit unit, final Outcome<ObjectNode> outcome) {
        if (outcome instanceof Outcome.Remote<ObjectNode> remote) {
            if (request.forwarded()) {
                throw ApiException.notReady("Unit " + unit + " moved to another instance during the query");
            }
            final Instances.Answer answer = instances.ask(remote.owner(), request.pathAndQuery());
            final JsonNode body = accepted(answer, unit);
            return new Reply(answer.body(), body.path("servedBy").isTextual() ? body.path("servedBy").asText() : null);
        }
        return local(value(outcome));
    }

    /**
     * The answer to a question about {@code unit} asked as part of another ({@code path} on its
     * owner), with its {@code servedBy}; null when there is nothing of it.
     */
    JsonNode optional(final Unit unit, final Outcome<ObjectNode> outcome, final String path) {
        if (outcome instanceof Outcome.NotFound<ObjectNode>) {
            return null;
        }
        if (outcome instanceof Outcome.Remote<ObjectNode> remote) {
            final Instances.Answer answer = instances.ask(remote.owner(), path);
            return answer.status() == 404 ? null : accepted(answer, unit);
        }
        return value(outcome).put("servedBy", self);
    }

    /** This instance's part of a listing and every other instance's, each from its own stores; the others are asked at once. */
    List<JsonNode> gather(final ApiRequest request, final List<HostInfo> all, final ObjectNode local) {
        final List<HostInfo> others = new ArrayList<>(all);
        others.removeIf(host -> Instances.name(host).equals(self));
        final List<JsonNode> parts = new ArrayList<>();
        parts.add(local.set("servedBy", ApiJson.array().add(self)));
        if (!others.isEmpty()) {
            for (final Instances.Answer answer : instances.askAll(others, request.pathAndQuery())) {
                parts.add(accepted(answer, null));
            }
        }
        return parts;
    }

    /** A local outcome's value; a 404 or 503 for the others. */
    static <T> T value(final Outcome<T> outcome) {
        if (outcome instanceof Outcome.Local<T> local) {
            return local.value();
        } else if (outcome instanceof Outcome.NotFound<T> notFound) {
            throw ApiException.notFound(notFound.reason());
        } else if (outcome instanceof Outcome.NotReady<T> notReady) {
            throw ApiException.notReady(notReady.reason());
        }
        throw new IllegalStateException("Another instance holds the answer: " + outcome);
    }

    /** A peer's 200 read as a JSON object; any other answer from the owner of {@code unit} (null: a listing's part) as an error. */
    private static JsonNode accepted(final Instances.Answer answer, final Unit unit) {
        final String what = unit == null ? "Another instance of MonitML" : "The instance that owns unit " + unit;
        switch (answer.status()) {
            case 200:
                return read(answer.body());
            case 404:
                throw ApiException.notFound(what + " has no such resource: unknown, or no window of it has closed yet");
            case 503:
                throw ApiException.notReady(what + " is not ready (starting, restoring or rebalancing); ask again shortly");
            default:
                throw new ApiException(502, what + " answered " + answer.status());
        }
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
}
