package io.monitml.baseline;

import java.util.Objects;
import java.util.Set;

/**
 * What a baseline is built for and how.
 *
 * @param deployment  the deployment (or Seldon v2 model) the baseline applies to
 * @param model       the model (graph node), or null for every model of the deployment
 * @param version     the model version the training data belongs to
 * @param target      the target or prediction column, summarised as the prediction baseline; null if none
 * @param categorical columns to treat as categorical whatever their values
 * @param numeric     columns to treat as numeric (their non-numbers become missing)
 * @param exclude     columns to leave out (identifiers, timestamps)
 * @param bins        PSI bins per numeric feature (quantile bins; fewer when values repeat)
 * @param topCategories categories kept per categorical feature; the rest are "other"
 * @param sketchK     the KLL sketch's accuracy parameter
 */
public record BaselineSpec(String deployment, String model, String version, String target, Set<String> categorical,
                           Set<String> numeric, Set<String> exclude, int bins, int topCategories, int sketchK) {

    public static final int DEFAULT_BINS = 10;
    public static final int DEFAULT_TOP_CATEGORIES = 20;
    public static final int DEFAULT_SKETCH_K = 200;

    public BaselineSpec {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(version, "version");
        categorical = categorical == null ? Set.of() : Set.copyOf(categorical);
        numeric = numeric == null ? Set.of() : Set.copyOf(numeric);
        exclude = exclude == null ? Set.of() : Set.copyOf(exclude);
        if (bins < 2) {
            throw new IllegalArgumentException("at least 2 bins are needed: " + bins);
        }
        if (topCategories < 1) {
            throw new IllegalArgumentException("at least 1 category must be kept: " + topCategories);
        }
    }

    /** The baselines topic's key: one baseline per deployment (and model) and version. */
    public String key() {
        return deployment + (model == null ? "" : "/" + model) + "@" + version;
    }
}
