package io.monitml.ingest;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an operator says about a model's payloads when they do not say it themselves: the names of
 * the feature columns and of the outputs, and which features are categorical even when their
 * values are numbers (a 0/1 flag, a zip code).
 *
 * @param namespace  the namespace it applies to, or null for any
 * @param deployment the deployment it applies to
 * @param model      the model (graph node) it applies to, or null for every model of the deployment
 */
public record ModelSchema(String namespace, String deployment, String model, List<String> features, Set<String> categorical,
                          List<String> outputs) {

    public ModelSchema {
        Objects.requireNonNull(deployment, "deployment");
        features = features == null ? List.of() : List.copyOf(features);
        categorical = categorical == null ? Set.of() : Set.copyOf(categorical);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    boolean appliesTo(final Unit unit) {
        return deployment.equals(unit.deployment())
            && (namespace == null || namespace.equals(unit.namespace()))
            && (model == null || model.equals(unit.model()));
    }

    /** More specific entries win: one naming the model over one for the whole deployment. */
    int specificity() {
        return (model == null ? 0 : 2) + (namespace == null ? 0 : 1);
    }
}
