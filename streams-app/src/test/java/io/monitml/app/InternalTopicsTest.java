package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.monitml.aggregate.FeatureWindow;
import io.monitml.ingest.Limits;

class InternalTopicsTest {

    @Test
    void shouldTakeTheLargestPartialTheLimitsAllowInWholeMebibytes() {
        assertThat(InternalTopics.maxRecordBytes(Limits.defaults())).as("with the default limits (docs/reliability.md)").isEqualTo(5 << 20)
            .isGreaterThan((int) FeatureWindow.maxSerializedBytes(Limits.defaults()));
        assertThat(InternalTopics.maxRecordBytes(Limits.defaults().withMaxFeatures(1024)))
            .isGreaterThan((int) FeatureWindow.maxSerializedBytes(Limits.defaults().withMaxFeatures(1024)));
        assertThat(InternalTopics.maxRecordBytes(Limits.defaults().withMaxFeatures(1)) % (1 << 20)).as("whole mebibytes").isZero();
    }
}
