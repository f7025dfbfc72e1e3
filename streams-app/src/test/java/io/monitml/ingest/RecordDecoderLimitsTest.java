package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.monitml.ingest.decoded.InvalidRecordException;

/** What {@link RecordDecoder} refuses besides malformed bodies: times, widths, rows, names and identities beyond the limits. */
class RecordDecoderLimitsTest {

    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private static final Limits LIMITS = new Limits(Duration.ofMinutes(1), 100, 256, 64, 1000, 100, Duration.ofMinutes(10), Limits.DEFAULT_MAX_RECORD_BYTES);

    private final RecordDecoder decoder = new RecordDecoder(null, ModelSchemas.none(), LIMITS);

    @Test
    void shouldTakeAnEventTimeUpToTheSkewAheadOfItsRecordAndRefuseOneFurther() {
        assertThat(decode(headers("2026-12-01T12:01:00Z"), "[[1]]", NOW).eventTime()).isEqualTo(NOW + 60_000);
        assertThatThrownBy(() -> decode(headers("2026-12-01T12:01:00.001Z"), "[[1]]", NOW))
            .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo("future-time"))
            .hasMessageContaining("ahead of its record's timestamp 2026-12-01T12:00:00Z").hasMessageContaining("--max-clock-skew");
    }

    @Test
    void shouldRefuseARecordWhoseOwnTimestampIsAheadOfTheClockWhenItIsTheEventTime() {
        final Headers bare = headers(null);
        assertThat(decoder.decode("seldon", bare, null, body("[[1]]"), NOW, NOW).eventTime()).isEqualTo(NOW);
        assertThatThrownBy(() -> decoder.decode("seldon", bare, null, body("[[1]]"), NOW + 7_200_000, NOW))
            .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo("future-time"))
            .hasMessageContaining("ahead of this instance's clock");
    }

    @Test
    void shouldRefuseTimesBefore1970OrBeyondATimestampAsBadTime() {
        for (String time : new String[] {"1969-12-31T23:59:59Z", "+999999999-12-31T23:59:59Z", "yesterday"}) {
            assertThatThrownBy(() -> decode(headers(time), "[[1]]", NOW)).as(time)
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo("bad-time"));
        }
    }

    @Test
    void shouldRefuseRowsWithoutColumnsAndEventsWithTooManyRows() {
        // 55 bytes that used to become 65,536 rows.
        assertThatThrownBy(() -> decodeBody("{\"data\":{\"tensor\":{\"shape\":[65536,0],\"values\":[]}}}"))
            .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo("no-columns"));
        assertThat(decode(headers("2026-12-01T12:00:00Z"), "[" + "[1],".repeat(99) + "[1]]", NOW).rows().rows()).isEqualTo(100);
        assertThatThrownBy(() -> decode(headers("2026-12-01T12:00:00Z"), "[" + "[1],".repeat(100) + "[1]]", NOW))
            .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo("limit-exceeded"))
            .hasMessageContaining("101 rows").hasMessageContaining("--max-rows-per-event");
    }

    @Test
    void shouldRefuseFeatureNamesLongerThanTheLimit() {
        final String name = "x".repeat(Limits.MAX_NAME_LENGTH + 1);
        assertThatThrownBy(() -> decodeBody("{\"data\":{\"names\":[\"" + name + "\"],\"ndarray\":[[1]]}}"))
            .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo("limit-exceeded"));
    }

    @Test
    void shouldRefuseIdentitiesThatCannotNameAUnit() {
        final Headers headers = headers("2026-12-01T12:00:00Z");
        headers.remove("ce_namespace");
        headers.add("ce_namespace", "a/b".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> decoder.decode("monitml.raw", headers, null, body("[[1]]"), NOW, NOW))
            .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo("bad-identity"))
            .hasMessageContaining("namespace \"a/b\" contains '/'");
    }

    private InferenceEvent decode(final Headers headers, final String ndarray, final long recordTimestamp) {
        return decoder.decode("monitml.raw", headers, null, body(ndarray), recordTimestamp, NOW);
    }

    private InferenceEvent decodeBody(final String json) {
        return decoder.decode("monitml.raw", headers("2026-12-01T12:00:00Z"), null, json.getBytes(StandardCharsets.UTF_8), NOW, NOW);
    }

    private static byte[] body(final String ndarray) {
        return ("{\"data\":{\"ndarray\":" + ndarray + "}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A request's logger headers, with ce_time when {@code time} is not null (bare names otherwise, as the direct Kafka logger sends). */
    private static Headers headers(final String time) {
        final String prefix = time == null ? "" : "ce_";
        final Headers headers = new RecordHeaders();
        add(headers, prefix + "type", "io.seldon.serving.inference.request");
        add(headers, prefix + "requestid", "r-1");
        add(headers, prefix + "inferenceservicename", "housing");
        add(headers, prefix + "namespace", "seldon");
        if (time != null) {
            add(headers, "ce_time", time);
        }
        add(headers, "content-type", "application/json");
        return headers;
    }

    private static void add(final Headers headers, final String key, final String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
