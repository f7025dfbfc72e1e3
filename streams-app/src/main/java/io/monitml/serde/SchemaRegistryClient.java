package io.monitml.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the Confluent Schema Registry REST API (also served by Redpanda, Karapace, Apicurio's
 * ccompat API and {@link io.monitml.embedded.EmbeddedSchemaRegistry}), restricted to what the Avro
 * serdes need. Both lookups are cached for the life of the client, because ids and schemas are
 * immutable in a registry: after the first call per schema the hot path makes no HTTP request.
 * Thread-safe.
 */
public final class SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE + ", application/json";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BODY_IN_MESSAGE = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);

    private final String baseUrl;
    private final String authorization;
    private final HttpClient http;
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /** A client without authentication. */
    public SchemaRegistryClient(final String baseUrl) {
        this(baseUrl, null);
    }

    /**
     * A client of the registry at {@code baseUrl} (e.g. {@code http://localhost:8081}).
     *
     * @param basicAuthUserInfo {@code "user:password"} for HTTP basic authentication; null or blank: none
     */
    public SchemaRegistryClient(final String baseUrl, final String basicAuthUserInfo) {
        final String trimmed = Objects.requireNonNull(baseUrl, "baseUrl").trim();
        if (!trimmed.startsWith("http://") && !trimmed.startsWith("https://")) {
            throw new IllegalArgumentException("schema registry URL must start with http:// or https://: " + trimmed);
        }
        this.baseUrl = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        this.authorization = basicAuthUserInfo == null || basicAuthUserInfo.isBlank()
                ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The registry's base URL, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Registers {@code schema} under {@code subject} (or finds it if already registered there) and
     * returns its global id.
     */
    public int register(final String subject, final Schema schema) {
        final SubjectSchema key = new SubjectSchema(Objects.requireNonNull(subject, "subject"),
                Objects.requireNonNull(schema, "schema"));
        final Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        final String url = baseUrl + "/subjects/" + encodePathSegment(subject) + "/versions";
        final ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        final JsonNode answer = send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .header("Content-Type", CONTENT_TYPE), url);
        final JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException("schema registry at " + url + " answered without an integer id: "
                    + abbreviate(answer.toString()), url, 200, SchemaRegistryException.NO_ERROR_CODE, null);
        }
        final int value = id.intValue();
        idsBySubjectSchema.putIfAbsent(key, value);
        // The registry stores the schema we sent under this id, so the reverse lookup needs no request.
        schemasById.putIfAbsent(value, schema);
        LOG.debug("Schema {} is id {} under subject {}", schema.getFullName(), value, subject);
        return value;
    }

    /** The schema the registry knows under {@code id}. */
    public Schema schemaById(final int id) {
        final Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        final String url = baseUrl + "/schemas/ids/" + id;
        final JsonNode answer = send(HttpRequest.newBuilder(URI.create(url)).GET(), url);
        final JsonNode type = answer.get("schemaType");
        if (type != null && type.isTextual() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException("schema id " + id + " at " + url + " is a " + type.asText()
                    + " schema, not Avro", url, 200, SchemaRegistryException.NO_ERROR_CODE, null);
        }
        final JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("schema registry at " + url + " answered without a schema: "
                    + abbreviate(answer.toString()), url, 200, SchemaRegistryException.NO_ERROR_CODE, null);
        }
        final Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("schema id " + id + " at " + url + " is not a valid Avro schema: "
                    + e.getMessage(), url, 200, SchemaRegistryException.NO_ERROR_CODE, e);
        }
        final Schema previous = schemasById.putIfAbsent(id, schema);
        return previous == null ? schema : previous;
    }

    @Override
    public String toString() {
        return "SchemaRegistryClient[" + baseUrl + (authorization == null ? "" : ", basic auth") + "]";
    }

    private JsonNode send(final HttpRequest.Builder builder, final String url) {
        builder.timeout(REQUEST_TIMEOUT).header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        final HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + url + " is unreachable: " + describe(e), url,
                    SchemaRegistryException.NO_RESPONSE, SchemaRegistryException.NO_ERROR_CODE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry at " + url, url,
                    SchemaRegistryException.NO_RESPONSE, SchemaRegistryException.NO_ERROR_CODE, e);
        }
        final JsonNode body = parseOrNull(response.body());
        final int status = response.statusCode();
        if (status / 100 != 2) {
            throw error(url, status, body, response.body());
        }
        if (body == null || !body.isObject()) {
            throw new SchemaRegistryException("schema registry at " + url + " answered HTTP " + status
                    + " with a body that is not a JSON object: " + abbreviate(response.body()), url, status,
                    SchemaRegistryException.NO_ERROR_CODE, null);
        }
        return body;
    }

    private static SchemaRegistryException error(final String url, final int status, final JsonNode body,
            final String rawBody) {
        final JsonNode code = body == null ? null : body.get("error_code");
        final JsonNode message = body == null ? null : body.get("message");
        final int errorCode = code != null && code.canConvertToInt() ? code.intValue() : SchemaRegistryException.NO_ERROR_CODE;
        final StringBuilder text = new StringBuilder("schema registry at ").append(url)
                .append(" answered HTTP ").append(status);
        if (errorCode != SchemaRegistryException.NO_ERROR_CODE) {
            text.append(", error_code ").append(errorCode);
        }
        if (message != null && message.isTextual()) {
            text.append(": ").append(message.asText());
        } else if (rawBody != null && !rawBody.isBlank()) {
            text.append(": ").append(abbreviate(rawBody));
        }
        return new SchemaRegistryException(text.toString(), url, status, errorCode, null);
    }

    private static JsonNode parseOrNull(final String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            // Proxies and load balancers answer with HTML; the caller reports the raw text instead.
            return null;
        }
    }

    private static String describe(final IOException e) {
        // java.net.ConnectException from HttpClient often has a null message.
        final String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    private static String abbreviate(final String text) {
        return text.length() <= MAX_BODY_IN_MESSAGE ? text : text.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    static String encodePathSegment(final String segment) {
        // URLEncoder is for forms: a space becomes '+', which a path would keep literally.
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
