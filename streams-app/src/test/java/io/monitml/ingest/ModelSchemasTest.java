package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.config.Defaults;
import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

class ModelSchemasTest {

    private static final ModelSchemas HOUSING = ModelSchemas.of(List.of(
        new ModelSchema(null, "housing", null, List.of("rm", "chas", "lstat"), Set.of("chas"), List.of("price")),
        new ModelSchema(null, "housing", "special", List.of("a", "b", "c"), Set.of(), List.of())));

    @TempDir
    Path dir;

    private static InferenceEvent decode(final ModelSchemas schemas, final String type, final String model, final String body) {
        final Headers headers = new RecordHeaders();
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_requestid", "r".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_inferenceservicename", "housing".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_modelid", model.getBytes(StandardCharsets.UTF_8));
        return new RecordDecoder(null, schemas, Defaults.limits()).decode("monitml.raw", headers, null, body.getBytes(StandardCharsets.UTF_8), 0L);
    }

    @Test
    void shouldNamePositionalColumnsAndTurnCategoricalNumbersIntoCategories() {
        final RowBatch rows = decode(HOUSING, "io.seldon.serving.inference.request", "classifier",
            "{\"data\":{\"ndarray\":[[6.5, 0, 4.98],[5.9, 1.0, 9.1]]}}").rows();

        assertThat(rows.name(0)).isEqualTo("rm");
        assertThat(rows.name(1)).isEqualTo("chas");
        assertThat(rows.string(0, 1)).isEqualTo("0");
        assertThat(rows.string(1, 1)).isEqualTo("1");
        assertThat(rows.value(1, 1)).isNaN();
        assertThat(rows.value(1, 0)).isEqualTo(5.9);
    }

    @Test
    void shouldNameTheOutputsOfResponses() {
        final RowBatch rows = decode(HOUSING, "io.seldon.serving.inference.response", "classifier",
            "{\"data\":{\"ndarray\":[[24000.0]]}}").rows();

        assertThat(rows.name(0)).isEqualTo("price");
    }

    @Test
    void shouldLetThePayloadsOwnNamesWinAndTheMostSpecificEntryApply() {
        assertThat(decode(HOUSING, "io.seldon.serving.inference.request", "classifier",
            "{\"data\":{\"names\":[\"x\",\"y\",\"z\"],\"ndarray\":[[1,2,3]]}}").rows().name(0)).isEqualTo("x");
        assertThat(decode(HOUSING, "io.seldon.serving.inference.request", "special",
            "{\"data\":{\"ndarray\":[[1,2,3]]}}").rows().name(2)).isEqualTo("c");
    }

    @Test
    void shouldRefuseRowsWhoseWidthDiffersFromTheConfiguredNames() {
        assertThatThrownBy(() -> decode(HOUSING, "io.seldon.serving.inference.request", "classifier", "{\"data\":{\"ndarray\":[[1,2]]}}"))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("names 3 columns")
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("configured-names-mismatch");
    }

    @Test
    void shouldReadTheModelsFile() throws IOException {
        final Path file = Files.writeString(dir.resolve("models.json"),
            "{\"models\":[{\"deployment\":\"housing\",\"features\":[\"rm\",\"chas\",\"lstat\"],\"categorical\":[\"chas\"]}]}");

        final ModelSchema schema = ModelSchemas.read(file).forUnit(new Unit("seldon", "housing", "v1", "classifier")).orElseThrow();

        assertThat(schema.features()).containsExactly("rm", "chas", "lstat");
        assertThat(schema.categorical()).containsExactly("chas");
        assertThat(ModelSchemas.read(file).forUnit(new Unit("seldon", "other", "v1", "m"))).isEmpty();
    }

    @Test
    void shouldSayWhatIsWrongWithAModelsFile() throws IOException {
        final Path file = Files.writeString(dir.resolve("models.json"), "{\"models\":[{\"deployment\":\"housing\",\"featurs\":[]}]}");

        assertThatThrownBy(() -> ModelSchemas.read(file))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("models.json")
            .hasMessageContaining("featurs");
    }
}
