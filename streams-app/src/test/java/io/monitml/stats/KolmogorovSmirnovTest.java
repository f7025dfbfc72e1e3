package io.monitml.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class KolmogorovSmirnovTest {

    @Test
    void shouldMatchScipyKs2sampAsympOnEveryFixture() {
        for (final JsonNode c : DriftReference.get("ks")) {
            final double[] x = DriftReference.doubles(c.get("x"));
            final double[] y = DriftReference.doubles(c.get("y"));
            final KolmogorovSmirnov.Result result = KolmogorovSmirnov.test(x, y);
            assertThat(result.statistic()).as(c.get("name").asText()).isCloseTo(c.get("d").asDouble(), within(1e-9));
            assertThat(DriftReference.relativeError(result.pValue(), c.get("p_asymp").asDouble()))
                    .as(c.get("name").asText()).isLessThan(1e-6);
            assertThat(result.n()).isEqualTo(x.length);
            assertThat(result.m()).isEqualTo(y.length);
            assertThat(result.statisticError()).isZero();
        }
    }

    @Test
    void shouldGiveTheExactStatisticFromSketchesInExactMode() {
        for (final JsonNode c : DriftReference.get("ks")) {
            final double[] x = DriftReference.doubles(c.get("x"));
            final double[] y = DriftReference.doubles(c.get("y"));
            final int k = Math.max(x.length, y.length);
            final KolmogorovSmirnov.Result result = KolmogorovSmirnov.test(sketch(k, x), sketch(k, y));
            assertThat(result.statistic()).as(c.get("name").asText()).isCloseTo(c.get("d").asDouble(), within(1e-12));
            assertThat(result.statisticError()).isZero();
            assertThat(DriftReference.relativeError(result.pValue(), c.get("p_asymp").asDouble())).isLessThan(1e-6);
        }
    }

    @Test
    void shouldStayWithinTheRankErrorWhenSketchesEstimate() {
        final Random random = new Random(42);
        final double[] x = new double[100_000];
        final double[] y = new double[100_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
            y[i] = 0.05 + random.nextGaussian();
        }
        // Split each into parts sketched apart and merged, as partitions would be.
        final KllDoublesSketch s1 = KllDoublesSketch.newHeapInstance(200);
        final KllDoublesSketch s2 = KllDoublesSketch.newHeapInstance(200);
        for (int part = 0; part < 4; part++) {
            final KllDoublesSketch p1 = KllDoublesSketch.newHeapInstance(200);
            final KllDoublesSketch p2 = KllDoublesSketch.newHeapInstance(200);
            for (int i = part; i < x.length; i += 4) {
                p1.update(x[i]);
                p2.update(y[i]);
            }
            s1.merge(p1);
            s2.merge(p2);
        }
        final KolmogorovSmirnov.Result exact = KolmogorovSmirnov.test(x, y);
        final KolmogorovSmirnov.Result sketched = KolmogorovSmirnov.test(s1, s2);
        assertThat(s1.isEstimationMode()).isTrue();
        assertThat(sketched.statisticError()).isEqualTo(2 * s1.getNormalizedRankError(false));
        assertThat(sketched.statistic()).isCloseTo(exact.statistic(), within(sketched.statisticError()));
        assertThat(sketched.n()).isEqualTo(100_000);
        assertThat(sketched.m()).isEqualTo(100_000);
    }

    @Test
    void shouldLeaveNaNOutAsMissing() {
        final double[] x = {1, 2, Double.NaN, 3};
        final double[] y = {2.5, Double.NaN, 4, 5};
        final KolmogorovSmirnov.Result result = KolmogorovSmirnov.test(x, y);
        assertThat(result.n()).isEqualTo(3);
        assertThat(result.m()).isEqualTo(3);
        assertThat(result.statistic()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void shouldGiveZeroAndPValueOneForIdenticalValues() {
        final KolmogorovSmirnov.Result result = KolmogorovSmirnov.test(new double[] {7, 7, 7}, new double[] {7, 7});
        assertThat(result.statistic()).isZero();
        assertThat(result.pValue()).isEqualTo(1.0);
    }

    @Test
    void shouldGiveOneForDisjointConstants() {
        final KolmogorovSmirnov.Result result = KolmogorovSmirnov.test(new double[] {1, 1}, new double[] {2, 2});
        assertThat(result.statistic()).isEqualTo(1.0);
        assertThat(result.pValue()).isEqualTo(0.0);
    }

    @Test
    void shouldRejectEmptySamples() {
        assertThatThrownBy(() -> KolmogorovSmirnov.test(new double[0], new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample1 has no values");
        assertThatThrownBy(() -> KolmogorovSmirnov.test(new double[] {1}, new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample2 has no values");
        assertThatThrownBy(() -> KolmogorovSmirnov.test(KllDoublesSketch.newHeapInstance(), KllDoublesSketch.newHeapInstance()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty");
    }

    private static KllDoublesSketch sketch(final int k, final double[] values) {
        final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(Math.max(8, k));
        for (final double v : values) {
            sketch.update(v);
        }
        return sketch;
    }
}
