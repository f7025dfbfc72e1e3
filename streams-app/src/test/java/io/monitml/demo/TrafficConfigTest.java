package io.monitml.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficConfigTest {

    @Test
    void defaultsAreTheReferenceDemo() {
        TrafficConfig config = TrafficConfig.defaults();

        assertThat(config.requestsPerSecond()).isEqualTo(200);
        assertThat(config.canaryShare()).isEqualTo(0.25);
        assertThat(config.driftAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.drift())
                .containsExactly(new FeatureShift("rm", 1.0, 1.5), new FeatureShift("lstat", 1.6, 0.0));
        assertThat(config.noiseLevel()).isEqualTo(0.02);
        assertThat(config.batchShare()).isEqualTo(0.05);
        assertThat(config.namespace()).isEqualTo("seldon");
        assertThat(config.deployment()).isEqualTo("housing");
        assertThat(config.stableVariant()).isEqualTo("v1");
        assertThat(config.canaryVariant()).isEqualTo("v2");
        assertThat(config.modelId()).isEqualTo("classifier");
    }

    @Test
    void withersChangeOnlyTheirField() {
        TrafficConfig config = TrafficConfig.defaults().withSeed(7).withCanaryShare(0.5);

        assertThat(config.seed()).isEqualTo(7);
        assertThat(config.canaryShare()).isEqualTo(0.5);
        assertThat(config.withSeed(TrafficConfig.DEFAULT_SEED).withCanaryShare(0.25))
                .isEqualTo(TrafficConfig.defaults());
    }

    @Test
    void rejectsNonsense() {
        TrafficConfig config = TrafficConfig.defaults();

        assertThatThrownBy(() -> config.withRequestsPerSecond(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withCanaryShare(1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withDriftAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withNoiseLevel(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        config.withDrift(List.of(FeatureShift.add("rm", 1), FeatureShift.multiply("rm", 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rm");
    }

    @Test
    void featureShiftScalesThenOffsets() {
        assertThat(new FeatureShift("x", 2, 3).apply(5)).isEqualTo(13);
    }
}
