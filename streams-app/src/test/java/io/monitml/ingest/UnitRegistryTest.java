package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnitRegistryTest {

    @Test
    void shouldRefuseNewUnitsWhenFullWhileKnownOnesKeepWorkingUntilIdleOnesExpire() {
        final UnitRegistry units = new UnitRegistry(2);
        units.admit("a", 1);
        units.admit("b", 2);

        assertThatThrownBy(() -> units.admit("c", 3))
            .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo("unit-limit"))
            .hasMessageContaining("2 units (--max-units)");
        units.admit("a", 10);
        units.admit("b", 4);
        assertThat(units.size()).isEqualTo(2);

        assertThat(units.expireIdle(5)).as("b was last seen at 4").isEqualTo(1);
        units.admit("c", 11);
        assertThatThrownBy(() -> units.admit("b", 12)).isInstanceOf(InvalidRecordException.class);
    }
}
