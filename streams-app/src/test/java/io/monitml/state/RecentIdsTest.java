package io.monitml.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void shouldRememberAnIdForAtLeastTheSpanAndForgetItAfterTwo() {
        final RecentIds recent = new RecentIds(1_000, 1_000_000);
        recent.add(RecentIds.hash("a"), 0);
        recent.add(RecentIds.hash("b"), 999);
        assertThat(recent.contains(RecentIds.hash("a"), 999)).isTrue();
        assertThat(recent.contains(RecentIds.hash("c"), 999)).isFalse();

        recent.add(RecentIds.hash("c"), 1_500);
        assertThat(recent.contains(RecentIds.hash("a"), 1_500)).as("one span later: in the previous generation").isTrue();
        recent.add(RecentIds.hash("d"), 2_600);
        assertThat(recent.contains(RecentIds.hash("a"), 2_600)).as("two spans later").isFalse();
        assertThat(recent.contains(RecentIds.hash("c"), 2_600)).isTrue();
        assertThat(recent.contains(RecentIds.hash("c"), 10_000) || recent.contains(RecentIds.hash("d"), 10_000)).as("long after, even without an add: all forgotten").isFalse();
    }

    @Test
    void shouldHoldManyIdsExactlyAndTurnOverEarlyWhenFull() {
        final RecentIds recent = new RecentIds(60_000, 50_000);
        for (int i = 0; i < 50_000; i++) {
            recent.add(RecentIds.hash("req-" + i), i);
        }
        for (int i = 0; i < 50_000; i++) {
            assertThat(recent.contains(RecentIds.hash("req-" + i), 50_000)).isTrue();
        }
        assertThat(recent.contains(RecentIds.hash("req-50000"), 50_000)).isFalse();
        // Full: the next id starts a new generation; the full one is still the previous.
        recent.add(RecentIds.hash("next"), 50_001);
        assertThat(recent.contains(RecentIds.hash("req-0"), 50_001)).isTrue();
        for (int i = 0; i < 50_000; i++) {
            recent.add(RecentIds.hash("more-" + i), 50_002);
        }
        recent.add(RecentIds.hash("after"), 50_003);
        assertThat(recent.contains(RecentIds.hash("req-0"), 50_003)).as("two full generations later").isFalse();
        assertThat(recent.contains(RecentIds.hash("more-1"), 50_003)).isTrue();
    }

    @Test
    void shouldTellAnIdOfPartsFromTheConcatenationAndFromOtherSplits() {
        final long parts = RecentIds.hash("unit", "request", "42");
        assertThat(parts).isEqualTo(RecentIds.hash("unit", "request", "42"))
            .isNotEqualTo(RecentIds.hash("unitrequest42"))
            .isNotEqualTo(RecentIds.hash("unitr", "equest", "42"))
            .isNotEqualTo(RecentIds.hash("unit", "response", "42"));
    }
}
