package io.monitml.http;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The answers of ingest, each counted: 202 with what was accepted and ignored, or the error of a rejection. */
final class IngestAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(CloudEventIngest.class);
    /** The answer to the usual request, one inference event: the same bytes every time. */
    private static final byte[] ACCEPTED_ONE = "{\"accepted\":1,\"ignored\":0}".getBytes(StandardCharsets.UTF_8);

    private final IngestListener listener;

    IngestAnswers(final IngestListener listener) {
        this.listener = listener;
    }

    /** Counts the request's ignored events (the written ones are counted as Kafka acknowledges them) and answers 202 with both. */
    void accept(final Response response, final Callback callback, final IngestBatch batch) {
        batch.ignoredTypes().forEach(listener::ignored);
        final int written = batch.writtenTypes().size();
        final int ignored = batch.ignoredTypes().size();
        if (written == 1 && ignored == 0) {
            JsonReplies.send(response, callback, 202, JsonReplies.JSON, ACCEPTED_ONE);
        } else {
            JsonReplies.json(response, callback, 202, JsonReplies.MAPPER.createObjectNode().put("accepted", written).put("ignored", ignored));
        }
    }

    /** An event accepted by Kafka. */
    void written(final String type) {
        listener.accepted(type);
    }

    void reject(final Request request, final Response response, final Callback callback, final IngestRejection rejection) {
        listener.rejected(rejection.reason());
        LOG.debug("Ingest {} {} answered {}: {}", request.getMethod(), request.getHttpURI().getPath(), rejection.status(),
            rejection.getMessage());
        if (JsonReplies.hasBody(request)) {
            // What is left of the body is not worth reading (refused unread, too large, or broken).
            JsonReplies.closeAfter(response);
        }
        if (rejection.status() == 405) {
            JsonReplies.methodNotAllowed(response, callback, "POST", rejection.getMessage());
        } else if (rejection.delivery() != null) {
            final IngestRejection.Delivery delivery = rejection.delivery();
            JsonReplies.json(response, callback, rejection.status(), JsonReplies.error(rejection.status(), rejection.getMessage())
                .put("events", delivery.events())
                .put("written", delivery.written())
                .put("failed", delivery.failed())
                .put("unacknowledged", delivery.unacknowledged()));
        } else {
            JsonReplies.error(response, callback, rejection.status(), rejection.getMessage());
        }
    }

    void internalError(final Request request, final Response response, final Callback callback, final RuntimeException e) {
        LOG.warn("Ingest of {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
        reject(request, response, callback, new IngestRejection(500, IngestListener.Reason.INTERNAL_ERROR,
            "the event could not be processed; the server's log has the reason"));
    }
}
