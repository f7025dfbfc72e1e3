package io.monitml.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * Reading and checking event times before the pipeline uses them. The sender's clock decides an
 * event's window, and the event's window decides when other units' windows close, so one wrong
 * clock must not be believed: an event may claim to be at most the allowed skew ahead of its
 * record's timestamp and of this instance's clock (the earlier of the two, so that a record whose
 * own timestamp comes from the same wrong clock is caught too), and never before 1970.
 */
public final class EventTimes {

    public static final String FUTURE_TIME = "future-time";
    public static final String BAD_TIME = "bad-time";

    private EventTimes() {
    }

    /**
     * @param eventTime       the event's time: its {@code Ce-Time}, else its record's timestamp
     * @param recordTimestamp the Kafka record's timestamp (the time of receipt for the ingest endpoint's records)
     * @param now             this instance's clock
     * @throws InvalidRecordException {@value #BAD_TIME} before 1970, {@value #FUTURE_TIME} too far ahead
     */
    public static void check(final long eventTime, final long recordTimestamp, final long now, final Duration maxSkew) {
        if (eventTime < 0) {
            throw new InvalidRecordException(BAD_TIME, "The event time " + Instant.ofEpochMilli(eventTime)
                + " is before 1970, when event times begin");
        }
        final boolean recordFirst = recordTimestamp >= 0 && recordTimestamp <= now;
        final long reference = recordFirst ? recordTimestamp : now;
        if (eventTime - reference > maxSkew.toMillis()) {
            throw new InvalidRecordException(FUTURE_TIME, "The event time " + Instant.ofEpochMilli(eventTime) + " is "
                + seconds(eventTime - reference) + " ahead of " + (recordFirst ? "its record's timestamp " : "this instance's clock ")
                + Instant.ofEpochMilli(reference) + ", more than the " + seconds(maxSkew.toMillis())
                + " allowed (--max-clock-skew): the sender's clock is wrong");
        }
    }

    private static String seconds(final long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }

    /**
     * An RFC 3339 time ({@code Ce-Time}) in epoch milliseconds.
     *
     * @throws InvalidRecordException {@value #BAD_TIME} when it is not RFC 3339 or out of a timestamp's range
     */
    public static long parse(final String time) {
        try {
            return Instant.parse(time).toEpochMilli();
        } catch (ArithmeticException outOfRange) {
            throw outOfRange(time, outOfRange);
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(time).toInstant().toEpochMilli();
            } catch (ArithmeticException outOfRange) {
                throw outOfRange(time, outOfRange);
            } catch (DateTimeParseException e) {
                throw new InvalidRecordException(BAD_TIME, "The event time " + time + " is not RFC 3339", e);
            }
        }
    }

    /** RFC 3339 years run to 9999, java.time's to a billion: past about 292 million, milliseconds overflow a long. */
    private static InvalidRecordException outOfRange(final String time, final ArithmeticException e) {
        return new InvalidRecordException(BAD_TIME, "The event time " + time + " is out of the range of a timestamp", e);
    }
}
