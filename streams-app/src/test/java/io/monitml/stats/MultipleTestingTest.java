package io.monitml.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class MultipleTestingTest {

    @Test
    void shouldMatchTheBenjaminiHochbergFixtures() {
        // drift_reference.py checks its step-up against scipy.stats.false_discovery_control when the
        // SciPy running it has it (1.11 and later).
        for (final JsonNode c : DriftReference.get("benjamini_hochberg")) {
            final boolean[] expected = new boolean[c.get("rejected").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.get("rejected").get(i).asBoolean();
            }
            final MultipleTesting.Decision decision =
                    MultipleTesting.benjaminiHochberg(DriftReference.doubles(c.get("p")), c.get("alpha").asDouble());
            assertThat(decision.rejected()).containsExactly(expected);
        }
    }

    @Test
    void shouldRejectUpToTheLargestQualifyingRankEvenPastLargerOnes() {
        // m = 4, alpha = 0.1: cuts 0.025, 0.05, 0.075, 0.1. p_(2) = 0.06 > 0.05 but p_(3) = 0.07 <= 0.075,
        // so the three smallest are rejected and the threshold is 0.075.
        final MultipleTesting.Decision decision = MultipleTesting.benjaminiHochberg(new double[] {0.07, 0.5, 0.01, 0.06}, 0.1);
        assertThat(decision.rejected()).containsExactly(true, false, true, true);
        assertThat(decision.threshold()).isEqualTo(0.075, org.assertj.core.api.Assertions.within(1e-15));
        final MultipleTesting.Decision none = MultipleTesting.benjaminiHochberg(new double[] {0.3, 0.9}, 0.05);
        assertThat(none.rejected()).containsExactly(false, false);
        assertThat(none.threshold()).isZero();
    }

    @Test
    void shouldCompareStrictlyForBonferroni() {
        final MultipleTesting.Decision decision = MultipleTesting.bonferroni(new double[] {0.01, 0.0099, 0.5, 0.02, 0.03}, 0.05);
        assertThat(decision.threshold()).isEqualTo(0.01);
        assertThat(decision.rejected()).containsExactly(false, true, false, false, false);
    }

    @Test
    void shouldRefuseMeaninglessInput() {
        assertThatThrownBy(() -> MultipleTesting.bonferroni(new double[0], 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipleTesting.benjaminiHochberg(new double[] {Double.NaN}, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipleTesting.benjaminiHochberg(new double[] {0.1}, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
