package io.monitml.query;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import io.monitml.config.Durations;

/**
 * A range of window starts asked for with {@code from} and {@code to} (ISO-8601 instants or
 * epoch milliseconds) or {@code last} (a duration back from {@code to}); by default the last hour.
 * A range wider than the stores keep windows is refused: it could only be answered in part.
 */
record TimeRange(Instant from, Instant to) {

    static final Duration DEFAULT = Duration.ofHours(1);

    static TimeRange parse(final Map<String, String> query, final Instant now, final Duration retention) {
        final Instant to = query.containsKey("to") ? instant("to", query.get("to")) : now;
        final Instant from;
        if (query.containsKey("from") && query.containsKey("last")) {
            throw ApiException.badRequest("Give either from or last, not both");
        } else if (query.containsKey("from")) {
            from = instant("from", query.get("from"));
        } else if (query.containsKey("last")) {
            from = back(to, duration(query.get("last")), query.get("last"));
        } else {
            from = to.minus(DEFAULT);
        }
        if (from.isAfter(to)) {
            throw ApiException.badRequest("The range is empty: from " + from + " is after to " + to);
        }
        if (Duration.between(from, to).compareTo(retention) > 0) {
            throw ApiException.badRequest("The range from " + from + " to " + to + " is wider than the "
                + Durations.format(retention) + " the stores keep windows for (--retention); ask for less");
        }
        return new TimeRange(from, to);
    }

    /** An instant the stores can be asked for: one that epoch milliseconds hold. */
    private static Instant instant(final String name, final String text) {
        final Instant instant;
        try {
            instant = text.chars().allMatch(Character::isDigit) && !text.isEmpty()
                ? Instant.ofEpochMilli(Long.parseLong(text)) : Instant.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.badRequest(name + "=" + text + " is neither an ISO-8601 instant (2026-11-26T10:00:00Z) nor epoch milliseconds");
        }
        return inMillisRange(name + "=" + text, instant);
    }

    /** {@code to} minus {@code duration}; a range reaching out of what epoch milliseconds hold is the client's error. */
    private static Instant back(final Instant to, final Duration duration, final String text) {
        try {
            return inMillisRange("last=" + text, to.minus(duration));
        } catch (DateTimeException | ArithmeticException e) {
            throw ApiException.badRequest("last=" + text + " reaches before the earliest instant MonitML can ask for; ask for less");
        }
    }

    private static Instant inMillisRange(final String what, final Instant instant) {
        try {
            instant.toEpochMilli();
            return instant;
        } catch (ArithmeticException e) {
            throw ApiException.badRequest(what + " is outside the range of epoch milliseconds");
        }
    }

    private static Duration duration(final String text) {
        try {
            final Duration duration = Durations.parse(text);
            if (duration.isNegative()) {
                throw ApiException.badRequest("last=" + text + " is negative");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("last=" + text + " is not a duration such as 15m, 1h or PT1H");
        }
    }
}
