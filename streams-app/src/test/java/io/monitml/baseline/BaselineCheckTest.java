package io.monitml.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.monitml.avro.FeatureBaseline;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.TrainingBaseline;
import io.monitml.demo.DemoBaseline;

class BaselineCheckTest {

    private final TrainingBaseline baseline = DemoBaseline.build(Instant.parse("2026-11-26T00:00:00Z"));

    private FeatureBaseline numeric() {
        return baseline.getFeatures().stream().filter(f -> f.getKind() == FeatureKind.NUMERIC).findFirst().orElseThrow();
    }

    private static FeatureBaseline copy(final FeatureBaseline feature) {
        return new FeatureBaseline(feature.getName(), feature.getKind(), feature.getCount(), feature.getMissingCount(), feature.getMin(),
            feature.getMax(), feature.getMean(), feature.getStddev(), feature.getSketch(), feature.getBinEdges(),
            feature.getBinProportions(), feature.getCategories(), feature.getOtherProportion());
    }

    @Test
    void acceptsWhatTheBaselineCommandBuilds() {
        assertThat(BaselineCheck.problem(baseline)).isNull();
    }

    @Test
    void refusesABaselineWithoutFeatures() {
        baseline.setFeatures(List.of());
        assertThat(BaselineCheck.problem(baseline).reason()).isEqualTo("no-features");
    }

    @Test
    void refusesAFeatureNamedTwice() {
        final List<FeatureBaseline> features = new ArrayList<>(baseline.getFeatures());
        features.add(copy(features.get(0)));
        baseline.setFeatures(features);
        assertThat(BaselineCheck.problem(baseline).reason()).isEqualTo("duplicate-feature");
    }

    @Test
    void refusesBinEdgesThatDoNotIncrease() {
        final List<Double> edges = new ArrayList<>(numeric().getBinEdges());
        edges.set(1, edges.get(0));
        numeric().setBinEdges(edges);
        assertThat(BaselineCheck.problem(baseline).reason()).isEqualTo("bins");
    }

    @Test
    void refusesProportionsThatAreNotADistribution() {
        final List<Double> proportions = new ArrayList<>(numeric().getBinProportions());
        proportions.set(0, proportions.get(0) + 0.5);
        numeric().setBinProportions(proportions);
        assertThat(BaselineCheck.problem(baseline).reason()).isEqualTo("proportions");
    }

    @Test
    void refusesAnUnreadableSketch() {
        numeric().setSketch(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(BaselineCheck.problem(baseline).reason()).isEqualTo("sketch");
    }

    @Test
    void refusesCategoryProportionsThatDoNotSumToOne() {
        final FeatureBaseline categorical = copy(numeric());
        categorical.setName("colour");
        categorical.setKind(FeatureKind.CATEGORICAL);
        categorical.setCategories(Map.of("red", 0.7, "blue", 0.7));
        categorical.setOtherProportion(0);
        final List<FeatureBaseline> features = new ArrayList<>(baseline.getFeatures());
        features.add(categorical);
        baseline.setFeatures(features);
        assertThat(BaselineCheck.problem(baseline).reason()).isEqualTo("categories");
    }
}
