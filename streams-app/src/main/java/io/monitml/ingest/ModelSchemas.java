package io.monitml.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/**
 * The configured {@link ModelSchema}s, read once at start from a JSON file:
 * <pre>
 * {"models": [{"deployment": "housing", "features": ["crim", "zn", ...], "categorical": ["chas"], "outputs": ["price"]}]}
 * </pre>
 * They name positional columns (a payload's own names always win) and mark categorical features.
 */
public final class ModelSchemas {

    private static final ModelSchemas NONE = new ModelSchemas(List.of());

    private final List<ModelSchema> schemas;

    private ModelSchemas(final List<ModelSchema> schemas) {
        this.schemas = schemas.stream().sorted(Comparator.comparingInt(ModelSchema::specificity).reversed()).toList();
    }

    public static ModelSchemas none() {
        return NONE;
    }

    public static ModelSchemas of(final List<ModelSchema> schemas) {
        return new ModelSchemas(new ArrayList<>(schemas));
    }

    public static ModelSchemas read(final Path file) {
        final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return of(mapper.readValue(file.toFile(), ModelsFile.class).models());
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("The models file " + file + " is not valid: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the models file " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<ModelSchema> forUnit(final Unit unit) {
        for (ModelSchema schema : schemas) {
            if (schema.appliesTo(unit)) {
                return Optional.of(schema);
            }
        }
        return Optional.empty();
    }

    /** Names positional columns and turns categorical features' numbers into categories. */
    RowBatch apply(final EventKind kind, final Unit unit, final RowBatch rows) {
        if (rows == null || schemas.isEmpty()) {
            return rows;
        }
        final Optional<ModelSchema> schema = forUnit(unit);
        if (schema.isEmpty()) {
            return rows;
        }
        final List<String> configured = kind == EventKind.REQUEST ? schema.get().features() : schema.get().outputs();
        RowBatch named = rows;
        if (!rows.hasNames() && !configured.isEmpty()) {
            if (configured.size() != rows.columns()) {
                throw new InvalidRecordException("configured-names-mismatch", "The models file names " + configured.size()
                    + " columns for " + unit + " but the " + kind.name().toLowerCase(Locale.ROOT) + " has " + rows.columns());
            }
            named = rows.withNames(configured.toArray(String[]::new));
        }
        return kind == EventKind.REQUEST ? named.withCategorical(schema.get().categorical()) : named;
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record ModelsFile(List<ModelSchema> models) {

        ModelsFile {
            models = models == null ? List.of() : models;
        }
    }
}
