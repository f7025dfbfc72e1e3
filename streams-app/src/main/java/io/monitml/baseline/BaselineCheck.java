package io.monitml.baseline;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.monitml.avro.FeatureBaseline;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.TrainingBaseline;
import io.monitml.stats.Sketches;

/**
 * Whether a training baseline read from the baselines topic can be used for drift: a record that
 * decodes but would give wrong or failing tests (no features, unsorted bin edges, proportions that
 * are not a distribution, an unreadable sketch) is refused, and the last good baseline of its key
 * stays in force.
 */
public final class BaselineCheck {

    /** The reason of a baselines-topic record that does not decode at all; the topology's updater gives it. */
    public static final String UNDECODABLE = "undecodable";
    /** The reasons a baseline is refused, as the {@code reason} label of {@code monitml_baselines_rejected_total}. */
    public static final List<String> REASONS = List.of(UNDECODABLE, "no-features", "duplicate-feature", "bins", "proportions", "sketch",
        "categories");

    private static final double TOLERANCE = 1e-3;

    private BaselineCheck() {
    }

    /** The first problem found, or null when the baseline is usable. */
    public static Problem problem(final TrainingBaseline baseline) {
        if (baseline.getFeatures() == null || baseline.getFeatures().isEmpty()) {
            return new Problem("no-features", "the baseline has no features");
        }
        final Set<String> names = new HashSet<>();
        for (FeatureBaseline feature : baseline.getFeatures()) {
            if (!names.add(feature.getName())) {
                return new Problem("duplicate-feature", "feature " + feature.getName() + " appears twice");
            }
            final Problem problem = problem(feature);
            if (problem != null) {
                return problem;
            }
        }
        return baseline.getTarget() == null ? null : problem(baseline.getTarget());
    }

    private static Problem problem(final FeatureBaseline feature) {
        final String name = feature.getName();
        if (feature.getKind() == FeatureKind.NUMERIC) {
            final List<Double> edges = feature.getBinEdges();
            for (int i = 0; i < edges.size(); i++) {
                if (!Double.isFinite(edges.get(i)) || i > 0 && edges.get(i) <= edges.get(i - 1)) {
                    return new Problem("bins", "feature " + name + ": bin edges must be finite and strictly increasing");
                }
            }
            if (!edges.isEmpty() && feature.getBinProportions().size() != edges.size() + 1) {
                return new Problem("bins", "feature " + name + ": " + edges.size() + " bin edges need " + (edges.size() + 1)
                    + " proportions, not " + feature.getBinProportions().size());
            }
            if (!distribution(feature.getBinProportions(), 0)) {
                return new Problem("proportions", "feature " + name + ": bin proportions must lie in [0, 1] and sum to 1");
            }
            if (feature.getSketch() != null) {
                try {
                    Sketches.heapify(feature.getSketch().duplicate());
                } catch (RuntimeException e) {
                    return new Problem("sketch", "feature " + name + ": the quantile sketch cannot be read (" + e.getMessage() + ")");
                }
            }
        } else if (feature.getKind() == FeatureKind.CATEGORICAL) {
            final Map<CharSequence, Double> categories = Map.copyOf(feature.getCategories());
            if (!distribution(List.copyOf(categories.values()), feature.getOtherProportion())) {
                return new Problem("categories", "feature " + name + ": category proportions and other must lie in [0, 1] and sum to 1");
            }
        }
        return null;
    }

    private static boolean distribution(final List<Double> proportions, final double other) {
        if (proportions.isEmpty() && other == 0) {
            return true; // nothing to compare with: the drift tests report insufficient data
        }
        double sum = other;
        for (double p : proportions) {
            if (!(p >= 0 && p <= 1)) {
                return false;
            }
            sum += p;
        }
        return other >= 0 && other <= 1 && Math.abs(sum - 1) <= TOLERANCE;
    }

    /** Why a baseline was refused: a stable reason code and a sentence. */
    public record Problem(String reason, String detail) {
    }
}
