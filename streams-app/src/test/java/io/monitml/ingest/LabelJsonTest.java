package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * Labels as the labels topic and {@code POST /api/v1/labels} carry them: what is read, what is
 * refused with which reason, and that {@code schemas/json/label.schema.json} (checked by a JSON
 * Schema validator, not by this decoder) draws the same line wherever the schema can say it.
 */
class LabelJsonTest {

    /** Tests run in the module's directory, as the build's other checks of the repository's files do. */
    private static final Path SCHEMA = Path.of("..", "schemas", "json", "label.schema.json");
    private static final long RECEIVED = 1_765_100_000_000L;
    private static final String LONG_ID = "r".repeat(LabelJson.MAX_REQUEST_ID_LENGTH + 1);

    /**
     * A label, the record's key, the reason it is refused for (null: read), and whether the schema
     * admits it (the key and a number past a double are beyond what a JSON schema says).
     */
    private record Case(String json, String key, String reason, boolean schemaValid) {
    }

    private static final List<Case> CASES = List.of(
        new Case("{\"requestId\": \"a1\", \"truth\": 24000.5}", "a1", null, true),
        new Case("{\"requestId\": \"a1\", \"truth\": 24000, \"time\": \"2026-12-07T10:00:00Z\"}", null, null, true),
        new Case("{\"requestId\": \"a1\", \"truth\": \"spam\", \"time\": 1765101600000}", null, null, true),
        new Case("{\"requestId\": \"a1\", \"truth\": [0.1, 0.9], \"note\": \"extra members are kept out of the way\"}", null, null, true),
        new Case("[1, 2]", null, "bad-json", false),
        new Case("{\"truth\": 1}", null, "missing-request-id", false),
        new Case("{\"requestId\": \"\", \"truth\": 1}", null, "missing-request-id", false),
        new Case("{\"requestId\": 42, \"truth\": 1}", null, "missing-request-id", false),
        new Case("{\"requestId\": \"" + LONG_ID + "\", \"truth\": 1}", null, "limit-exceeded", false),
        new Case("{\"requestId\": \"a1\", \"truth\": 1}", "b2", "key-mismatch", true),
        new Case("{\"requestId\": \"a1\"}", null, "bad-truth", false),
        new Case("{\"requestId\": \"a1\", \"truth\": null}", null, "bad-truth", false),
        new Case("{\"requestId\": \"a1\", \"truth\": true}", null, "bad-truth", false),
        new Case("{\"requestId\": \"a1\", \"truth\": {\"price\": 1}}", null, "bad-truth", false),
        new Case("{\"requestId\": \"a1\", \"truth\": []}", null, "bad-truth", false),
        new Case("{\"requestId\": \"a1\", \"truth\": [1, \"x\"]}", null, "bad-truth", false),
        new Case("{\"requestId\": \"a1\", \"truth\": \"\"}", null, "bad-truth", false),
        new Case("{\"requestId\": \"a1\", \"truth\": \"" + "c".repeat(Limits.MAX_CATEGORY_LENGTH + 1) + "\"}", null, "bad-truth", false),
        new Case("{\"requestId\": \"a1\", \"truth\": 1e400}", null, "non-finite-number", true),
        new Case("{\"requestId\": \"a1\", \"truth\": 1, \"time\": \"yesterday\"}", null, "bad-time", false),
        new Case("{\"requestId\": \"a1\", \"truth\": 1, \"time\": \"2026-12-07\"}", null, "bad-time", false),
        new Case("{\"requestId\": \"a1\", \"truth\": 1, \"time\": \"2026-12-07T10:00:00.5+01:00\"}", null, null, true),
        new Case("{\"requestId\": \"a1\", \"truth\": 1, \"time\": -5}", null, "bad-time", false),
        new Case("{\"requestId\": \"a1\", \"truth\": 1, \"time\": 1.5}", null, "bad-time", false));

    @Test
    void readsEachKindOfTruthAndTakesTheTimeOfReceiptWhenTheLabelHasNone() {
        assertThat(read("{\"requestId\": \"a1\", \"truth\": 24000.5}", "a1"))
            .isEqualTo(Label.ofNumber("a1", 24000.5, RECEIVED));
        assertThat(read("{\"requestId\": \"a1\", \"truth\": 24000, \"time\": \"2026-12-07T10:00:00Z\"}", null))
            .isEqualTo(Label.ofNumber("a1", 24000, java.time.Instant.parse("2026-12-07T10:00:00Z").toEpochMilli()));
        assertThat(read("{\"requestId\": \"a1\", \"truth\": 24000, \"time\": \"2026-12-07T11:00:00.250+01:00\"}", null).timeMillis())
            .as("an offset and fractions of a second").isEqualTo(java.time.Instant.parse("2026-12-07T10:00:00.250Z").toEpochMilli());
        assertThat(read("{\"requestId\": \"a1\", \"truth\": \"spam\", \"time\": 1765101600000}", null))
            .isEqualTo(Label.ofCategory("a1", "spam", 1_765_101_600_000L));
        final Label vector = read("{\"requestId\": \"a1\", \"truth\": [0.1, 0.9]}", "");
        assertThat(vector.vector()).containsExactly(0.1, 0.9);
        assertThat(vector.isNumber()).isFalse();
    }

    @Test
    void refusesWhatDoesNotFitWithAStableReason() {
        final List<String> wrong = new ArrayList<>();
        for (final Case c : CASES) {
            String reason = null;
            try {
                read(c.json(), c.key());
            } catch (InvalidRecordException e) {
                reason = e.reason();
                assertThat(e.getMessage()).as(c.json()).isNotBlank().doesNotContain(LONG_ID);
            }
            if (!java.util.Objects.equals(reason, c.reason())) {
                wrong.add(abbreviate(c.json()) + ": " + reason + " instead of " + c.reason());
            }
        }
        assertThat(wrong).isEmpty();
        assertThatThrownBy(() -> LabelJson.read("{\"requestId\": \"a\", \"requestId\": \"b\", \"truth\": 1}".getBytes(StandardCharsets.UTF_8),
            null, RECEIVED)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("Duplicate");
        assertThatThrownBy(() -> LabelJson.read(null, "a1", RECEIVED)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void theSchemaInTheRepositoryDrawsTheSameLine() throws IOException {
        final Schema schema;
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        final ObjectMapper json = new ObjectMapper();
        final List<String> wrong = new ArrayList<>();
        for (final Case c : CASES) {
            if (c.reason() != null && c.reason().equals("bad-json") && !c.json().startsWith("[")) {
                continue;
            }
            final boolean valid = schema.validate(json.readTree(c.json())).isEmpty();
            if (valid != c.schemaValid()) {
                wrong.add(abbreviate(c.json()) + ": the schema says " + (valid ? "valid" : "invalid"));
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static Label read(final String json, final String key) {
        return LabelJson.read(json.getBytes(StandardCharsets.UTF_8), key, RECEIVED);
    }

    private static String abbreviate(final String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
