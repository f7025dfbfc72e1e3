package io.monitml.aggregate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.monitml.drift.ExpectedBaseline;
import io.monitml.drift.ExpectedFeature;
import io.monitml.ingest.Limits;

/**
 * How much of a unit's requests one window keeps, and what it keeps first: at most
 * {@code maxFeatures} features, the baseline's before any other, and per feature at most
 * {@code maxCategories} categories besides the baseline's; at most {@link #MAX_CATEGORIES_PER_WINDOW}
 * categories in all. These bounds make a window's partial a record of bounded size whatever a
 * sender puts in its payloads.
 *
 * @param baselineFeatures   the baseline's feature names, in its order (empty without a baseline)
 * @param baselineCategories per categorical feature of the baseline, its categories
 */
public record FeatureBudget(int maxFeatures, int maxCategories, List<String> baselineFeatures,
                            Map<String, Set<String>> baselineCategories) {

    /** Distinct categories one window keeps over all its features; the rest count as each feature's other. */
    public static final int MAX_CATEGORIES_PER_WINDOW = 4096;

    public FeatureBudget {
        baselineFeatures = List.copyOf(baselineFeatures);
        baselineCategories = Map.copyOf(baselineCategories);
    }

    /** Without a baseline. */
    /** The default limits' features and categories, no baseline. */
    public static FeatureBudget defaults() {
        return new FeatureBudget(Limits.DEFAULT_MAX_FEATURES, Limits.DEFAULT_MAX_CATEGORIES, List.of(), Map.of());
    }

    public static FeatureBudget of(final Limits limits) {
        return new FeatureBudget(limits.maxFeatures(), limits.maxCategories(), List.of(), Map.of());
    }

    /** @param baseline the unit's baseline, or null */
    public static FeatureBudget of(final Limits limits, final ExpectedBaseline baseline) {
        if (baseline == null) {
            return of(limits);
        }
        final List<String> names = new ArrayList<>(baseline.features().size());
        final Map<String, Set<String>> categories = new HashMap<>();
        for (ExpectedFeature feature : baseline.features()) {
            names.add(feature.name());
            if (!feature.categories().isEmpty()) {
                categories.put(feature.name(), Set.copyOf(feature.categories().keySet()));
            }
        }
        return new FeatureBudget(limits.maxFeatures(), limits.maxCategories(), names, categories);
    }

    Set<String> categoriesOf(final String feature) {
        return baselineCategories.getOrDefault(feature, Set.of());
    }
}
