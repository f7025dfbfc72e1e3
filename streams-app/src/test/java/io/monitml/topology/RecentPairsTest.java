package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentPairsTest {

    @Test
    void shouldRememberAnIdForAtLeastTheSpanAndForgetItAfterTwo() {
        final RecentPairs recent = new RecentPairs(1_000, 1_000_000);
        recent.add("a", 0);
        recent.add("b", 999);
        assertThat(recent.contains("a", 999)).isTrue();
        assertThat(recent.contains("c", 999)).isFalse();

        recent.add("c", 1_500);
        assertThat(recent.contains("a", 1_500)).as("one span later: in the previous generation").isTrue();
        recent.add("d", 2_600);
        assertThat(recent.contains("a", 2_600)).as("two spans later").isFalse();
        assertThat(recent.contains("c", 2_600)).isTrue();
        assertThat(recent.contains("c", 10_000) || recent.contains("d", 10_000)).as("long after, even without an add: all forgotten").isFalse();
    }

    @Test
    void shouldHoldManyIdsExactlyAndTurnOverEarlyWhenFull() {
        final RecentPairs recent = new RecentPairs(60_000, 50_000);
        for (int i = 0; i < 50_000; i++) {
            recent.add("req-" + i, i);
        }
        for (int i = 0; i < 50_000; i++) {
            assertThat(recent.contains("req-" + i, 50_000)).isTrue();
        }
        assertThat(recent.contains("req-50000", 50_000)).isFalse();
        // Full: the next id starts a new generation; the full one is still the previous.
        recent.add("next", 50_001);
        assertThat(recent.contains("req-0", 50_001)).isTrue();
        for (int i = 0; i < 50_000; i++) {
            recent.add("more-" + i, 50_002);
        }
        recent.add("after", 50_003);
        assertThat(recent.contains("req-0", 50_003)).as("two full generations later").isFalse();
        assertThat(recent.contains("more-1", 50_003)).isTrue();
    }
}
