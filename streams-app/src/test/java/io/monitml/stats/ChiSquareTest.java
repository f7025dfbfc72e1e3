package io.monitml.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ChiSquareTest {

    @Test
    void shouldMatchScipyChi2Contingency() {
        for (final JsonNode c : DriftReference.get("chi2_contingency")) {
            final JsonNode rows = c.get("table");
            final long[][] table = new long[rows.size()][];
            for (int r = 0; r < table.length; r++) {
                table[r] = DriftReference.longs(rows.get(r));
            }
            final ChiSquare.Result result = ChiSquare.contingency(table);
            final String name = c.get("name").asText();
            assertThat(result.degreesOfFreedom()).as(name).isEqualTo(c.get("dof").asInt());
            assertThat(result.statistic()).as(name).isCloseTo(c.get("statistic").asDouble(), within(1e-9));
            assertThat(DriftReference.relativeError(result.pValue(), c.get("p").asDouble())).as(name).isLessThan(1e-9);
        }
    }

    @Test
    void shouldMatchScipyChisquareGoodnessOfFit() {
        for (final JsonNode c : DriftReference.get("chisquare")) {
            final ChiSquare.Result result = ChiSquare.goodnessOfFit(
                    DriftReference.longs(c.get("observed")), DriftReference.doubles(c.get("proportions")));
            final String name = c.get("name").asText();
            assertThat(result.degreesOfFreedom()).as(name).isEqualTo(c.get("dof").asInt());
            assertThat(result.statistic()).as(name).isCloseTo(c.get("statistic").asDouble(), within(1e-9));
            assertThat(DriftReference.relativeError(result.pValue(), c.get("p").asDouble())).as(name).isLessThan(1e-9);
        }
    }

    @Test
    void shouldLeaveOutCategoriesSeenInNeitherSample() {
        final ChiSquare.Result withEmpty = ChiSquare.twoSample(new long[] {120, 80, 0, 45}, new long[] {100, 95, 0, 40});
        final ChiSquare.Result without = ChiSquare.twoSample(new long[] {120, 80, 45}, new long[] {100, 95, 40});
        assertThat(withEmpty).isEqualTo(without);
        assertThat(without.degreesOfFreedom()).isEqualTo(2);
    }

    @Test
    void shouldHaveNothingToTestWithOneCategoryOrNoWindow() {
        assertThat(ChiSquare.twoSample(new long[] {5, 0}, new long[] {7, 0})).isEqualTo(new ChiSquare.Result(0, 0, 1));
        assertThat(ChiSquare.twoSample(new long[] {5, 3}, new long[] {0, 0})).isEqualTo(new ChiSquare.Result(0, 0, 1));
        assertThat(ChiSquare.goodnessOfFit(new long[] {0, 0}, new double[] {0.5, 0.5})).isEqualTo(new ChiSquare.Result(0, 0, 1));
    }

    @Test
    void shouldCallACategoryUnseenInTheBaselineCertainDrift() {
        final ChiSquare.Result result = ChiSquare.goodnessOfFit(new long[] {50, 45, 5}, new double[] {0.5, 0.5, 0.0});
        assertThat(result.statistic()).isInfinite();
        assertThat(result.pValue()).isZero();
        assertThat(result.degreesOfFreedom()).isEqualTo(2);
        final ChiSquare.Result none = ChiSquare.goodnessOfFit(new long[] {50, 50, 0}, new double[] {0.5, 0.5, 0.0});
        assertThat(none.degreesOfFreedom()).isEqualTo(1);
        assertThat(none.pValue()).isEqualTo(1.0);
    }
}
