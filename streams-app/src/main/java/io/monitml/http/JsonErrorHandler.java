package io.monitml.http;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers (a request it cannot parse, headers over the limit, the queue full, a handler
 * that threw) in the port's error shape ({@link JsonReplies}) instead of Jetty's HTML page. The
 * message is fixed per status: Jetty's reason text and an exception's never reach the client.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    static String message(final int status) {
        return switch (status) {
            case 400 -> "The request is not valid HTTP/1.1";
            case 408 -> "The request was not received in time";
            case 413 -> "The request's body is larger than this path accepts";
            case 414 -> "The request's URI is too long";
            case 431 -> "The request's headers exceed " + HeaderLimits.MAX_HEADER_BYTES + " bytes or " + HeaderLimits.MAX_HEADERS + " fields";
            case 503 -> "MonitML's HTTP port is busy (every worker is in use and the queue is full) or stopping; retry after "
                + JsonReplies.RETRY_AFTER_SECONDS + " s";
            default -> status >= 500 ? "The request could not be served; the server's log has the reason"
                : "The request was refused (" + status + ")";
        };
    }

    /** Jetty writes a body only for GET, POST and HEAD; every request gets the shape here (an unknown method too). */
    @Override
    public boolean errorPageForMethod(final String method) {
        return true;
    }

    @Override
    protected void generateResponse(final Request request, final Response response, final int status, final String message,
                                    final Throwable cause, final Callback callback) {
        response.getHeaders().put(JsonReplies.NOSNIFF, "nosniff");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (status == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, JsonReplies.RETRY_AFTER_SECONDS);
        }
        JsonReplies.json(response, callback, status, JsonReplies.error(status, message(status)));
    }

    /** Errors found while parsing, before there is a request to answer through {@link #generateResponse}. */
    @Override
    public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JsonReplies.JSON);
        fields.put(JsonReplies.NOSNIFF, "nosniff");
        return ByteBuffer.wrap(JsonReplies.bytes(JsonReplies.error(status, message(status))));
    }
}
