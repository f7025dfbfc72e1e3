package io.monitml.embedded;

import static io.monitml.embedded.RegistryHttp.get;
import static io.monitml.embedded.RegistryHttp.post;
import static io.monitml.embedded.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitml.avro.ModelUnit;
import io.monitml.avro.PredictionStats;
import io.monitml.embedded.RegistryHttp.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedSchemaRegistryTest {

    private static final String UNIT = ModelUnit.getClassSchema().toString();
    private static final String STATS = PredictionStats.getClassSchema().toString();

    private EmbeddedSchemaRegistry registry;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.start("127.0.0.1", 0, null);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void urlNamesTheActualEphemeralPort() {
        assertThat(registry.url()).matches("http://127\\.0\\.0\\.1:\\d+").doesNotEndWith(":0");
    }

    @Test
    void idsStartAtOneAndIncreaseAndTheSameSchemaTwiceKeepsItsId() {
        final Response first = register("units-value", UNIT);
        final Response again = register("units-value", UNIT);
        final Response other = register("stats-value", STATS);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(first.body().get("id").intValue()).isEqualTo(1);
        assertThat(again.body().get("id").intValue()).isEqualTo(1);
        assertThat(other.body().get("id").intValue()).isEqualTo(2);
        assertThat(get(registry.url() + "/subjects/units-value/versions").body()).hasSize(1);
    }

    @Test
    void formattingDoesNotChangeTheIdOfASchema() {
        final String reformatted = "{ \"namespace\": \"io.monitml.test\", \"name\": \"R\", \"type\": \"record\","
                + " \"fields\": [ {\"type\": \"int\", \"name\": \"a\"} ] }";
        final String compact = "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"io.monitml.test\","
                + "\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";

        assertThat(register("a-value", reformatted).body().get("id").intValue())
                .isEqualTo(register("b-value", compact).body().get("id").intValue());
    }

    @Test
    void twoSubjectsSharingASchemaShareItsId() {
        final int id = register("units-key", UNIT).body().get("id").intValue();

        assertThat(register("other-key", UNIT).body().get("id").intValue()).isEqualTo(id);
        assertThat(get(registry.url() + "/subjects").body()).extracting(node -> node.asText())
                .containsExactly("other-key", "units-key");
    }

    @Test
    void subjectsListTheirVersionsInOrder() {
        register("evolving-value", UNIT);
        register("evolving-value", STATS);

        assertThat(get(registry.url() + "/subjects/evolving-value/versions").body().toString()).isEqualTo("[1,2]");
        final Response latest = get(registry.url() + "/subjects/evolving-value/versions/latest");
        assertThat(latest.body().get("subject").asText()).isEqualTo("evolving-value");
        assertThat(latest.body().get("version").intValue()).isEqualTo(2);
        assertThat(latest.body().get("id").intValue()).isEqualTo(2);
        assertThat(new Schema.Parser().parse(latest.body().get("schema").asText()))
                .isEqualTo(PredictionStats.getClassSchema());
        final Response first = get(registry.url() + "/subjects/evolving-value/versions/1");
        assertThat(first.body().get("id").intValue()).isEqualTo(1);
        assertThat(first.body().get("version").intValue()).isEqualTo(1);
    }

    @Test
    void schemaByIdReturnsTheRegisteredSchema() {
        final int id = register("units-value", UNIT).body().get("id").intValue();

        final Response response = get(registry.url() + "/schemas/ids/" + id);

        assertThat(response.status()).isEqualTo(200);
        assertThat(new Schema.Parser().parse(response.body().get("schema").asText()))
                .isEqualTo(ModelUnit.getClassSchema());
    }

    @Test
    void lookupFindsTheVersionOfASchemaUnderASubject() {
        register("evolving-value", UNIT);
        register("evolving-value", STATS);

        final Response found = post(registry.url() + "/subjects/evolving-value", schemaBody(STATS));
        final Response missing = post(registry.url() + "/subjects/units-value", schemaBody(STATS));

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("version").intValue()).isEqualTo(2);
        assertThat(found.body().get("id").intValue()).isEqualTo(2);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("error_code").intValue()).isEqualTo(40401);
        register("units-value", UNIT);
        final Response notUnder = post(registry.url() + "/subjects/units-value", schemaBody(STATS));
        assertThat(notUnder.status()).isEqualTo(404);
        assertThat(notUnder.body().get("error_code").intValue()).isEqualTo(40403);
    }

    @Test
    void missingThingsAnswer404WithConfluentErrorCodes() {
        register("units-value", UNIT);

        assertError(get(registry.url() + "/schemas/ids/42"), 404, 40403);
        assertThat(get(registry.url() + "/schemas/ids/42").body().get("message").asText()).contains("42");
        assertError(get(registry.url() + "/subjects/nope-value/versions"), 404, 40401);
        assertError(get(registry.url() + "/subjects/nope-value/versions/latest"), 404, 40401);
        assertError(get(registry.url() + "/subjects/units-value/versions/7"), 404, 40402);
        assertError(get(registry.url() + "/nothing/here"), 404, 404);
    }

    @Test
    void wrongMethodAnswers405() {
        assertError(RegistryHttp.delete(registry.url() + "/subjects"), 405, 405);
        assertError(post(registry.url() + "/schemas/ids/1", "{}"), 405, 405);
    }

    @Test
    void invalidSchemaAnswers422WithTheParserMessage() {
        final Response response = register("bad-value", "{\"type\":\"record\",\"name\":\"R\"}");

        assertError(response, 422, 42201);
        assertThat(response.body().get("message").asText()).contains("fields");
        assertError(post(registry.url() + "/subjects/bad-value/versions", "not json"), 422, 422);
        assertThat(get(registry.url() + "/subjects").body()).isEmpty();
    }

    @Test
    void oversizedBodyAnswers413() {
        final String huge = "x".repeat(EmbeddedSchemaRegistry.MAX_BODY_BYTES + 10);

        assertError(post(registry.url() + "/subjects/big-value/versions", huge), 413, 413);
    }

    @Test
    void subjectsWithReservedCharactersAreDecoded() {
        register("with%20space%2Fslash", UNIT);

        assertThat(get(registry.url() + "/subjects").body().get(0).asText()).isEqualTo("with space/slash");
    }

    @Test
    void restartWithTheSameStorageFileKeepsIdsAndContinuesNumbering(@TempDir final Path dir) {
        final Path file = dir.resolve("registry/schemas.jsonl");
        final int unitId;
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start("127.0.0.1", 0, file)) {
            unitId = post(first.url() + "/subjects/units-value/versions", schemaBody(UNIT)).body().get("id").intValue();
            post(first.url() + "/subjects/copy-value/versions", schemaBody(UNIT));
        }

        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start("127.0.0.1", 0, file)) {
            assertThat(new Schema.Parser().parse(get(second.url() + "/schemas/ids/" + unitId).body()
                    .get("schema").asText())).isEqualTo(ModelUnit.getClassSchema());
            assertThat(post(second.url() + "/subjects/units-value/versions", schemaBody(UNIT)).body().get("id").intValue())
                    .isEqualTo(unitId);
            assertThat(post(second.url() + "/subjects/stats-value/versions", schemaBody(STATS)).body().get("id").intValue())
                    .isEqualTo(unitId + 1);
            assertThat(get(second.url() + "/subjects").body()).hasSize(3);
        }
    }

    @Test
    void anIncompleteLastStorageLineIsDropped(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("schemas.jsonl");
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start("127.0.0.1", 0, file)) {
            post(first.url() + "/subjects/units-value/versions", schemaBody(UNIT));
        }
        Files.write(file, "{\"subject\":\"torn".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start("127.0.0.1", 0, file)) {
            assertThat(post(second.url() + "/subjects/stats-value/versions", schemaBody(STATS)).body().get("id").intValue())
                    .isEqualTo(2);
        }
        try (EmbeddedSchemaRegistry third = EmbeddedSchemaRegistry.start("127.0.0.1", 0, file)) {
            assertThat(get(third.url() + "/subjects").body()).hasSize(2);
        }
    }

    @Test
    void countsEveryRequest() {
        final long before = registry.requestCount();
        get(registry.url() + "/subjects");
        get(registry.url() + "/nothing");

        assertThat(registry.requestCount()).isEqualTo(before + 2);
    }

    private Response register(final String subject, final String schema) {
        return post(registry.url() + "/subjects/" + subject + "/versions", schemaBody(schema));
    }

    private static void assertError(final Response response, final int status, final int errorCode) {
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(response.body().get("error_code").intValue()).isEqualTo(errorCode);
        assertThat(response.body().get("message").asText()).isNotBlank();
    }
}
