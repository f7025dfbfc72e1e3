package io.monitml.http;

import java.nio.ByteBuffer;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every answer of the HTTP port goes out through here: JSON written by Jackson, and every error in
 * one shape, {@code {"status": 404, "error": "not found", "message": "..."}}. The message is the
 * caller's to compose and must say what to do, never carry an exception's text or a host name.
 */
public final class JsonReplies {

    public static final String JSON = "application/json";
    public static final ObjectMapper MAPPER = new ObjectMapper();
    static final String NOSNIFF = "X-Content-Type-Options";
    /** Seconds a client should wait after a 503 of the port itself (full queue, stopping). */
    public static final String RETRY_AFTER_SECONDS = "1";

    private static final Map<Integer, String> REASONS = Map.ofEntries(
        Map.entry(400, "bad request"),
        Map.entry(401, "unauthorized"),
        Map.entry(404, "not found"),
        Map.entry(405, "method not allowed"),
        Map.entry(408, "request timeout"),
        Map.entry(413, "payload too large"),
        Map.entry(414, "uri too long"),
        Map.entry(415, "unsupported media type"),
        Map.entry(431, "request header fields too large"),
        Map.entry(500, "internal error"),
        Map.entry(501, "not implemented"),
        Map.entry(502, "bad gateway"),
        Map.entry(503, "service unavailable"),
        Map.entry(504, "gateway timeout"),
        Map.entry(505, "http version not supported"));

    private JsonReplies() {
    }

    /** The reason phrase of a status, lower case: the {@code error} of the error shape. */
    public static String reason(final int status) {
        return REASONS.getOrDefault(status, status >= 500 ? "internal error" : "bad request");
    }

    /** The error shape as a tree. */
    public static ObjectNode error(final int status, final String message) {
        return MAPPER.createObjectNode().put("status", status).put("error", reason(status)).put("message", message);
    }

    public static byte[] bytes(final JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that Jackson cannot write", e);
        }
    }

    /** Writes {@code body} as the whole answer and completes {@code callback}. */
    public static void send(final Response response, final Callback callback, final int status, final String contentType,
                            final byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    public static void json(final Response response, final Callback callback, final int status, final JsonNode body) {
        send(response, callback, status, JSON, bytes(body));
    }

    /** Answers with the error shape; 405 gets {@code Allow}, 401 {@code WWW-Authenticate}, a 503 of the port {@code Retry-After}. */
    public static void error(final Response response, final Callback callback, final int status, final String message) {
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"monitml\"");
        }
        json(response, callback, status, error(status, message));
    }

    /** {@link #error} with {@code Allow}. */
    public static void methodNotAllowed(final Response response, final Callback callback, final String allow, final String message) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        error(response, callback, 405, message);
    }

    /**
     * Whether the request carries a body: a declared length above zero or a transfer coding. Paths
     * that take none refuse such a request without reading it, and close the connection after the
     * answer, so that an unread body is never drained.
     */
    public static boolean hasBody(final Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** Closes the connection after the answer: what is left of the request's body is never read. */
    public static void closeAfter(final Response response) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
}
