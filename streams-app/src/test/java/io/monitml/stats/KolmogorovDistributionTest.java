package io.monitml.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class KolmogorovDistributionTest {

    @Test
    void shouldMatchScipyKstwoSurvivalFunctionOverEveryRegion() {
        double worst = 0;
        String worstAt = "";
        for (final JsonNode point : DriftReference.get("kstwo")) {
            final long n = point.get("n").asLong();
            final double d = point.get("d").asDouble();
            final double error = DriftReference.relativeError(KolmogorovDistribution.sf(d, n), point.get("sf").asDouble());
            if (error > worst) {
                worst = error;
                worstAt = "n=" + n + " d=" + d;
            }
        }
        assertThat(worst).as("worst relative error, at " + worstAt).isLessThan(1e-6);
    }

    @Test
    void shouldGiveOneAndZeroAtTheEnds() {
        assertThat(KolmogorovDistribution.sf(0.0, 10)).isEqualTo(1.0);
        assertThat(KolmogorovDistribution.sf(1.0, 10)).isEqualTo(0.0);
        assertThat(KolmogorovDistribution.sf(0.01, 10)).isEqualTo(1.0);
        assertThat(KolmogorovDistribution.sf(0.5, 0)).isNaN();
        assertThat(KolmogorovDistribution.sf(Double.NaN, 10)).isNaN();
    }
}
