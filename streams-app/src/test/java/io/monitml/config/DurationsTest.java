package io.monitml.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void shouldParseTheShortFormsAndIso8601() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse(" 1m ")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("pt5s")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldSayWhatIsWrong() {
        assertThatThrownBy(() -> Durations.parse("ten seconds"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'ten seconds'")
            .hasMessageContaining("10s");
    }

    // ?last=1000000000000000d answered 500: Duration.ofDays threw ArithmeticException, which no caller expected.
    @Test
    void refusesDurationsTooLongForADurationAsIllegalArguments() {
        for (String tooLong : new String[] {"1000000000000000d", "99999999999999999999999s", "PT99999999999999999999H"}) {
            assertThatThrownBy(() -> Durations.parse(tooLong)).as(tooLong)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(tooLong);
        }
    }

    @Test
    void shouldFormatInTheShortestExactForm() {
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
    }
}
