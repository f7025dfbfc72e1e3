package io.monitml.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.monitml.stats.Correction;

/**
 * The watch level between OK and DRIFT: a feature whose PSI reaches {@code --psi-watch} without
 * drifting is watched, and a window with a watched feature and none drifted is WATCH. Categorical
 * features with exact proportions make the PSI known in advance: against a baseline of half a and
 * half b, a window of 65/35 has PSI 0.093, 70/30 has 0.169, 80/20 has 0.416. The tests' alpha is so
 * small that only the PSI decides, as it does for a shift too small for the test at the window's size.
 */
class DriftCalculatorWatchTest {

    private static final DriftSettings PSI_ONLY = new DriftSettings(Correction.NONE, 1e-300, 0.1, 0.25, 100);
    private static final ExpectedBaseline BASELINE = new ExpectedBaseline("1", 10_000,
        List.of(categorical("channel"), categorical("region")), null);

    @Test
    void aShiftInTheWatchBandIsWatchedNotDrifted() {
        final DriftVerdict verdict = new DriftCalculator(PSI_ONLY).report(1000, window(1000, 700, 500), BASELINE);

        assertThat(verdict.status()).isEqualTo(DriftCalculator.WATCH);
        assertThat(verdict.driftDetected()).isFalse();
        final FeatureComparison channel = feature(verdict, "channel");
        assertThat(channel.psi()).isCloseTo(0.2 * Math.log(1.4) + 0.2 * Math.log(0.5 / 0.3), within(1e-6));
        assertThat(channel.watched()).isTrue();
        assertThat(channel.drifted()).isFalse();
        assertThat(feature(verdict, "region").watched()).as("PSI 0").isFalse();
    }

    @Test
    void belowTheWatchLevelIsOkAndAtTheActLevelIsDriftWhichIsNotAlsoWatched() {
        assertThat(new DriftCalculator(PSI_ONLY).report(1000, window(1000, 650, 500), BASELINE).status()).as("PSI 0.093")
            .isEqualTo(DriftCalculator.OK);

        final DriftVerdict drifted = new DriftCalculator(PSI_ONLY).report(1000, window(1000, 800, 700), BASELINE);
        assertThat(drifted.status()).isEqualTo(DriftCalculator.DRIFT);
        assertThat(feature(drifted, "channel").drifted()).isTrue();
        assertThat(feature(drifted, "channel").watched()).as("drifted, so not merely watched").isFalse();
        assertThat(feature(drifted, "region").watched()).as("a watched feature beside a drifted one").isTrue();
    }

    @Test
    void aWindowTooSmallForAVerdictIsNeitherWatchedNorDrifted() {
        final DriftVerdict verdict = new DriftCalculator(PSI_ONLY).report(50, window(50, 35, 25), BASELINE);

        assertThat(verdict.status()).isEqualTo(DriftCalculator.INSUFFICIENT_DATA);
        assertThat(verdict.features()).noneMatch(FeatureComparison::watched).noneMatch(FeatureComparison::drifted);
    }

    private static ExpectedFeature categorical(final String name) {
        final Map<String, Double> categories = new LinkedHashMap<>();
        categories.put("a", 0.5);
        categories.put("b", 0.5);
        return new ExpectedFeature(name, true, 0, null, List.of(), List.of(), categories, 0.0);
    }

    /** A window of {@code rows} rows, {@code channelA} and {@code regionA} of them of category a in each feature, the rest b. */
    private static Map<String, WindowFeature> window(final long rows, final long channelA, final long regionA) {
        return Map.of("channel", new WindowFeature("channel", 0, null, Map.of("a", channelA, "b", rows - channelA), 0),
            "region", new WindowFeature("region", 0, null, Map.of("a", regionA, "b", rows - regionA), 0));
    }

    private static FeatureComparison feature(final DriftVerdict verdict, final String name) {
        return verdict.features().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }
}
