package io.monitml.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TimeRangeTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(1);

    @Test
    void defaultsToTheLastHourBeforeNow() {
        assertThat(TimeRange.parse(Map.of(), NOW, RETENTION))
            .isEqualTo(new TimeRange(Instant.parse("2026-11-26T11:00:00Z"), NOW));
    }

    @Test
    void readsIsoInstantsAndEpochMilliseconds() {
        final TimeRange range = TimeRange.parse(Map.of("from", "2026-11-26T10:00:00Z", "to", "1795694400000"), NOW, RETENTION);

        assertThat(range.from()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(range.to()).isEqualTo(Instant.ofEpochMilli(1_795_694_400_000L));
    }

    @Test
    void readsLastAsADurationBackFromTo() {
        assertThat(TimeRange.parse(Map.of("last", "15m", "to", "2026-11-26T10:00:00Z"), NOW, RETENTION).from())
            .isEqualTo(Instant.parse("2026-11-26T09:45:00Z"));
        assertThat(TimeRange.parse(Map.of("last", "PT2H"), NOW, RETENTION).from()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    }

    @Test
    void refusesWhatItCannotAnswerWithA400() {
        assertBadRequest(Map.of("from", "yesterday"), "from=yesterday is neither");
        assertBadRequest(Map.of("to", ""), "to= is neither");
        assertBadRequest(Map.of("last", "a while"), "not a duration");
        assertBadRequest(Map.of("from", "2026-11-26T10:00:00Z", "last", "1h"), "either from or last");
        assertBadRequest(Map.of("from", "2026-11-26T13:00:00Z"), "empty");
        assertBadRequest(Map.of("last", "25h"), "wider than the 1d");
    }

    // Found in review: these answered 500 (ArithmeticException, DateTimeException) instead of 400.
    @Test
    void refusesDurationsAndInstantsBeyondTheClockWithA400() {
        assertBadRequest(Map.of("last", "1000000000000000d"), "last=1000000000000000d");
        assertBadRequest(Map.of("last", "100000000000d"), "wider than the 1d");
        assertBadRequest(Map.of("last", "PT-1H"), "negative");
        assertBadRequest(Map.of("last", "-1h"), "not a duration");
        assertBadRequest(Map.of("from", "+1000000000-01-01T00:00:00Z"), "epoch milliseconds");
        assertBadRequest(Map.of("to", "-1000000000-01-01T00:00:00Z"), "epoch milliseconds");
        assertBadRequest(Map.of("to", "99999999999999999999"), "neither");
    }

    private static void assertBadRequest(final Map<String, String> query, final String message) {
        assertThatThrownBy(() -> TimeRange.parse(query, NOW, RETENTION))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
            .hasMessageContaining(message);
    }
}
