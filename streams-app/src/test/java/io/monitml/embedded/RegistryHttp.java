package io.monitml.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Raw HTTP calls to a registry, independent of the client under test. */
public final class RegistryHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** An answer: status, content type and parsed JSON body. */
    public record Response(int status, String contentType, JsonNode body) {
    }

    private RegistryHttp() {
    }

    public static Response get(final String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public static Response post(final String url, final String body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    public static Response delete(final String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
    }

    /** The body of a registration request for {@code schemaJson}. */
    public static String schemaBody(final String schemaJson) {
        return JSON.createObjectNode().put("schema", schemaJson).toString();
    }

    private static Response send(final HttpRequest.Builder request) {
        try {
            final HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
