package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.monitml.config.Defaults;
import io.monitml.topology.DriftRecords;

class InternalTopicsTest {

    @Test
    void shouldTakeTheLargestPartialTheLimitsAllowInWholeMebibytes() {
        assertThat(InternalTopics.maxRecordBytes(Defaults.limits())).as("with the default limits (docs/reliability.md)").isEqualTo(5 << 20)
            .isGreaterThan((int) DriftRecords.maxPartialBytes(Defaults.limits()));
        assertThat(InternalTopics.maxRecordBytes(Defaults.limits().withMaxFeatures(1024)))
            .isGreaterThan((int) DriftRecords.maxPartialBytes(Defaults.limits().withMaxFeatures(1024)));
        assertThat(InternalTopics.maxRecordBytes(Defaults.limits().withMaxFeatures(1)) % (1 << 20)).as("whole mebibytes").isZero();
    }
}
