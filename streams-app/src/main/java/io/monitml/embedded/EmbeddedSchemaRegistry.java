package io.monitml.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process schema registry serving the subset of the Confluent Schema Registry REST API that
 * the Avro serdes and common tools use, so the demo and tests need no external registry. Schemas
 * are Avro only; there is no compatibility checking, deletion or configuration.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** Requests with a larger body are refused with 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int THREADS = 4;
    private static final long DRAIN_LIMIT_BYTES = 8L * MAX_BODY_BYTES;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaStore store;
    private final String url;
    private final AtomicLong requests = new AtomicLong();

    private EmbeddedSchemaRegistry(final HttpServer server, final ExecutorService executor, final SchemaStore store,
            final String url) {
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.url = url;
    }

    /**
     * Starts a registry listening on {@code host:port}.
     *
     * @param port 0 for an ephemeral port
     * @param storageFile file the registrations are appended to and reloaded from, or null to keep
     *     them in memory only
     */
    public static EmbeddedSchemaRegistry start(final String host, final int port, final Path storageFile) {
        SchemaStore store = null;
        ExecutorService executor = null;
        try {
            store = storageFile == null ? SchemaStore.inMemory() : SchemaStore.open(storageFile);
            final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
            server.setExecutor(executor);
            final String url = "http://" + urlHost(host) + ":" + server.getAddress().getPort();
            final EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server, executor, store, url);
            server.createContext("/", registry::handle);
            server.start();
            LOG.info("Embedded schema registry listening on {}{}", url,
                    storageFile == null ? " (in memory)" : ", storing in " + storageFile);
            return registry;
        } catch (IOException e) {
            closeQuietly(store);
            if (executor != null) {
                executor.shutdownNow();
            }
            throw new UncheckedIOException("cannot start the embedded schema registry on " + host + ":" + port, e);
        }
    }

    /** The base URL clients use, e.g. {@code http://localhost:8081}. */
    public String url() {
        return url;
    }

    /** HTTP requests received so far, whatever their outcome (lets tests prove caching). */
    public long requestCount() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        closeQuietly(store);
        LOG.info("Embedded schema registry on {} stopped", url);
    }

    private void handle(final HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            Answer answer;
            try {
                answer = route(exchange);
            } catch (RegistryError e) {
                answer = error(e.status(), e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Embedded schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                answer = error(500, 50001, "Error in the backend data store: " + e.getMessage());
            }
            final byte[] body = answer.body().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Answer route(final HttpExchange exchange) throws IOException {
        final String method = exchange.getRequestMethod();
        final String[] path = segments(exchange.getRequestURI().getRawPath());
        if (path.length == 1 && path[0].equals("subjects")) {
            requireMethod(method, "GET");
            final ArrayNode subjects = JSON.createArrayNode();
            store.subjects().forEach(subjects::add);
            return ok(subjects);
        }
        if (path.length == 2 && path[0].equals("subjects")) {
            requireMethod(method, "POST");
            final SchemaStore.Version version = store.lookup(path[1], canonicalSchema(readBody(exchange)));
            return ok(versionJson(version));
        }
        if (path.length == 3 && path[0].equals("subjects") && path[2].equals("versions")) {
            if (method.equals("POST")) {
                final int id = store.register(path[1], canonicalSchema(readBody(exchange)));
                return ok(JSON.createObjectNode().put("id", id));
            }
            requireMethod(method, "GET");
            final ArrayNode versions = JSON.createArrayNode();
            store.versions(path[1]).forEach(versions::add);
            return ok(versions);
        }
        if (path.length == 4 && path[0].equals("subjects") && path[2].equals("versions")) {
            requireMethod(method, "GET");
            return ok(versionJson(path[3].equals("latest") ? store.latest(path[1])
                    : store.version(path[1], versionNumber(path[1], path[3]))));
        }
        if (path.length == 3 && path[0].equals("schemas") && path[1].equals("ids")) {
            requireMethod(method, "GET");
            final int id = parseId(path[2]);
            final String schema = id < 1 ? null : store.schemaById(id);
            if (schema == null) {
                throw RegistryError.schemaNotFound("Schema " + path[2] + " not found");
            }
            return ok(JSON.createObjectNode().put("schema", schema));
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found: " + exchange.getRequestURI().getRawPath());
    }

    /** Avro's own JSON rendering of the parsed schema: whitespace and attribute order no longer matter. */
    private static String canonicalSchema(final byte[] body) {
        final JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryError(422, 422, "Unprocessable entity: the body is not JSON: " + e.getMessage());
        }
        final JsonNode schema = request == null ? null : request.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new RegistryError(422, 422, "Unprocessable entity: the body needs a \"schema\" string");
        }
        final JsonNode type = request.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw RegistryError.invalidSchema("only AVRO schemas are supported, not " + type.asText());
        }
        try {
            return new Schema.Parser().parse(schema.asText()).toString();
        } catch (SchemaParseException e) {
            throw RegistryError.invalidSchema(e.getMessage());
        }
    }

    private static byte[] readBody(final HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            final byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                // Closing on unread bytes resets the connection and the client loses the 413; drain a
                // bounded amount so ordinary clients see the answer, and let abusive ones be reset.
                discard(in, DRAIN_LIMIT_BYTES);
                throw tooLarge();
            }
            return body;
        }
    }

    private static void discard(final InputStream in, final long limit) throws IOException {
        final byte[] buffer = new byte[8192];
        long total = 0;
        int read;
        while (total < limit && (read = in.read(buffer)) >= 0) {
            total += read;
        }
    }

    private static RegistryError tooLarge() {
        return new RegistryError(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
    }

    private static int versionNumber(final String subject, final String text) {
        final int number = parseId(text);
        if (number < 1) {
            throw new RegistryError(422, RegistryError.INVALID_VERSION, "The specified version '" + text
                    + "' of subject '" + subject + "' is not a valid version id: use a positive integer or 'latest'.");
        }
        return number;
    }

    private static int parseId(final String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void requireMethod(final String actual, final String expected) {
        if (!actual.equals(expected)) {
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed: " + actual);
        }
    }

    private static String[] segments(final String rawPath) {
        final String trimmed = rawPath.replaceAll("^/+|/+$", "");
        if (trimmed.isEmpty()) {
            return new String[0];
        }
        final String[] parts = trimmed.split("/");
        for (int i = 0; i < parts.length; i++) {
            // A raw '+' is a literal plus in a path; only form encoding turns it into a space.
            parts[i] = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        return parts;
    }

    private static ObjectNode versionJson(final SchemaStore.Version version) {
        return JSON.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.schema());
    }

    private static Answer ok(final JsonNode body) {
        return new Answer(200, body);
    }

    private static Answer error(final int status, final int errorCode, final String message) {
        return new Answer(status, JSON.createObjectNode().put("error_code", errorCode).put("message", message));
    }

    private static String urlHost(final String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            return "localhost";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static ThreadFactory daemonThreads() {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, "schema-registry-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void closeQuietly(final SchemaStore store) {
        if (store == null) {
            return;
        }
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("Cannot close the schema registry storage", e);
        }
    }

    private record Answer(int status, JsonNode body) {
    }
}
