package io.monitml.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.monitml.avro.ModelUnit;
import io.monitml.embedded.EmbeddedSchemaRegistry;
import io.monitml.embedded.RegistryHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

    @Test
    void registerAndFetchRoundTripAndSubjectsAreUrlEncoded() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start("127.0.0.1", 0, null)) {
            final int id = new SchemaRegistryClient(registry.url() + "/").register("a b/c+d", ModelUnit.getClassSchema());

            assertThat(new SchemaRegistryClient(registry.url()).schemaById(id)).isEqualTo(ModelUnit.getClassSchema());
            assertThat(RegistryHttp.get(registry.url() + "/subjects").body().get(0).asText()).isEqualTo("a b/c+d");
        }
    }

    @Test
    void unknownIdIsNotFoundWithUrlStatusAndErrorCode() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start("127.0.0.1", 0, null)) {
            final SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                    () -> new SchemaRegistryClient(registry.url()).schemaById(42));

            assertThat(e.notFound()).isTrue();
            assertThat(e.unavailable()).isFalse();
            assertThat(e.errorCode()).isEqualTo(40403);
            assertThat(e.getMessage())
                    .contains(registry.url() + "/schemas/ids/42", "HTTP 404", "error_code 40403", "Schema 42 not found");
        }
    }

    @Test
    void connectionRefusedNamesTheUrl() {
        final EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start("127.0.0.1", 0, null);
        final String url = registry.url();
        registry.close();

        final SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> new SchemaRegistryClient(url).register("s", ModelUnit.getClassSchema()));

        assertThat(e.unavailable()).isTrue();
        assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
        assertThat(e.getMessage()).contains(url + "/subjects/s/versions", "unreachable");
    }

    @Test
    void sendsBasicAuthButNeverShowsThePassword() throws IOException {
        final AtomicReference<String> authorization = new AtomicReference<>();
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            final byte[] body = "{\"error_code\":40101,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            final SchemaRegistryClient client =
                    new SchemaRegistryClient("http://127.0.0.1:" + server.getAddress().getPort(), "alice:s3cret");

            final SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.schemaById(1));

            assertThat(authorization.get()).isEqualTo(
                    "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.errorCode()).isEqualTo(40101);
            assertThat(e.getMessage()).contains("Unauthorized").doesNotContain("s3cret");
            assertThat(client.toString()).doesNotContain("s3cret").doesNotContain("alice");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void nonJsonErrorBodyIsQuotedAndServerErrorsAreUnavailable() throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            final byte[] body = "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            final SchemaRegistryClient client = new SchemaRegistryClient("http://127.0.0.1:" + server.getAddress().getPort());

            final SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.schemaById(1));

            assertThat(e.unavailable()).isTrue();
            assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.NO_ERROR_CODE);
            assertThat(e.getMessage()).contains("HTTP 502", "Bad Gateway");
        } finally {
            server.stop(0);
        }
    }
}
