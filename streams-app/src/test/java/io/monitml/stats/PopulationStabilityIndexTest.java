package io.monitml.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

class PopulationStabilityIndexTest {

    /** The cases of fixtures/psi_reference.json, computed once with numpy by psi_reference.py beside it. */
    static Stream<JsonNode> numpyCases() {
        try (InputStream in = PopulationStabilityIndexTest.class.getResourceAsStream("/fixtures/psi_reference.json")) {
            final JsonNode root = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
            return StreamSupport.stream(root.get("cases").spliterator(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldHaveNumpyCasesOfEveryKind() {
        assertThat(numpyCases().map(c -> c.get("kind").asText())).contains("numeric", "categorical").hasSizeGreaterThanOrEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numpyCases")
    void shouldEqualNumpyBinForBinAndTo1e9(final JsonNode reference) {
        final long[] expectedCounts;
        final long[] actualCounts;
        if (reference.get("kind").asText().equals("numeric")) {
            final double[] baseline = DriftReference.doubles(reference.get("reference"));
            final double[] current = DriftReference.doubles(reference.get("current"));
            final double[] sorted = baseline.clone();
            Arrays.sort(sorted);
            final double[] edges = PopulationStabilityIndex.binEdges(sorted, reference.get("bins").asInt());
            assertThat(edges).as("bin edges").containsExactly(DriftReference.doubles(reference.get("edges")));
            expectedCounts = PopulationStabilityIndex.counts(edges, baseline);
            actualCounts = PopulationStabilityIndex.counts(edges, current);
        } else {
            expectedCounts = DriftReference.longs(reference.get("expected_counts"));
            actualCounts = DriftReference.longs(reference.get("actual_counts"));
        }
        assertThat(expectedCounts).as("the reference's counts").containsExactly(DriftReference.longs(reference.get("expected_counts")));
        assertThat(actualCounts).as("the current counts").containsExactly(DriftReference.longs(reference.get("actual_counts")));
        assertThat(PopulationStabilityIndex.psi(expectedCounts, actualCounts)).isCloseTo(reference.get("psi").asDouble(), within(1e-9));
    }

    @Test
    void shouldGiveEvidentlysExampleForCategoriesWithAnEmptyOne() {
        // Evidently's example: reference values [3, 2, 2], current [1, 2, 3]. Over categories 1, 2, 3 the
        // reference has no 1 (floored at 0.0001): 2.934. Read as counts per category instead,
        // [3, 2, 2] against [1, 2, 3] would give 0.375, either way round (PSI is symmetric).
        final long[] reference = {0, 2, 1};
        final long[] current = {1, 1, 1};
        assertThat(PopulationStabilityIndex.psi(reference, current)).isCloseTo(2.934, within(5e-4));
        assertThat(PopulationStabilityIndex.psi(current, reference)).isCloseTo(2.934, within(5e-4));
        assertThat(PopulationStabilityIndex.psi(new long[] {3, 2, 2}, new long[] {1, 2, 3})).isCloseTo(0.375, within(5e-4));
    }

    @Test
    void shouldBeZeroForTheSameProportions() {
        assertThat(PopulationStabilityIndex.psi(new long[] {10, 20, 30}, new long[] {1, 2, 3})).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void shouldUseTheConfiguredFloor() {
        final double expected = (0.5 - 0.01) * Math.log(0.5 / 0.01) + (0.5 - 1.0) * Math.log(0.5 / 1.0);
        assertThat(PopulationStabilityIndex.psi(new long[] {0, 4}, new long[] {2, 2}, 0.01)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void shouldCutDecilesAndKeepValuesOutsideTheBaselineInTheOuterBins() {
        final double[] baseline = new double[100];
        for (int i = 0; i < 100; i++) {
            baseline[i] = i + 1;
        }
        final double[] edges = PopulationStabilityIndex.binEdges(baseline, 10);
        assertThat(edges).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90);
        assertThat(PopulationStabilityIndex.counts(edges, baseline)).containsOnly(10L);
        assertThat(PopulationStabilityIndex.binIndex(edges, -1e9)).isZero();
        assertThat(PopulationStabilityIndex.binIndex(edges, 10)).isZero();
        assertThat(PopulationStabilityIndex.binIndex(edges, 10.5)).isEqualTo(1);
        assertThat(PopulationStabilityIndex.binIndex(edges, 1e9)).isEqualTo(9);
        assertThat(PopulationStabilityIndex.counts(edges, new double[] {-5, 500, Double.NaN})).containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void shouldMergeDuplicateEdgesOfDiscreteColumns() {
        final double[] baseline = new double[100];
        for (int i = 0; i < 100; i++) {
            baseline[i] = i < 70 ? 0 : 1;
        }
        final double[] edges = PopulationStabilityIndex.binEdges(baseline, 10);
        assertThat(edges).containsExactly(0);
        assertThat(PopulationStabilityIndex.counts(edges, baseline)).containsExactly(70, 30);
        assertThat(PopulationStabilityIndex.binEdges(new double[] {5, 5, 5}, 10)).isEmpty();
    }

    @Test
    void shouldCutTheSameEdgesFromASketchInExactMode() {
        final double[] baseline = new double[150];
        final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);
        for (int i = 0; i < baseline.length; i++) {
            baseline[i] = (i * 37) % 150 / 3.0;
            sketch.update(baseline[i]);
        }
        final double[] sorted = baseline.clone();
        java.util.Arrays.sort(sorted);
        assertThat(PopulationStabilityIndex.binEdges(sketch, 10)).containsExactly(PopulationStabilityIndex.binEdges(sorted, 10));
    }

    @Test
    void shouldGiveNaNProportionsWithoutCounts() {
        assertThat(PopulationStabilityIndex.proportions(new long[] {0, 0})).containsOnly(Double.NaN);
        assertThat(PopulationStabilityIndex.proportions(new long[] {1, 3})).containsExactly(0.25, 0.75);
    }
}
