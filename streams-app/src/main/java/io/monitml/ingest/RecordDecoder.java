package io.monitml.ingest;

import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Headers;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/**
 * Decodes one record of any input topic into an {@link InferenceEvent}: the single entry point
 * that both the pipeline and {@code monitml decode} use, so that what the tool shows is what
 * the pipeline does. Seldon Core v2 topics are recognised by name; every other topic carries
 * Seldon logger events (CloudEvents or the v1 executor's direct Kafka logger). Thread-safe.
 *
 * <p>Besides the format, every event is held to the {@link Limits}: its time ({@link EventTimes}),
 * its identity ({@link Unit}), rows that have columns, at most {@link Limits#maxRowsPerEvent()} rows
 * and feature names of at most {@link Limits#MAX_NAME_LENGTH} characters, so that a few bytes
 * cannot become thousands of rows downstream.
 */
public final class RecordDecoder {

    public static final String DEFAULT_V2_PREFIX = "seldon";
    public static final String LIMIT_EXCEEDED = "limit-exceeded";
    public static final String NO_COLUMNS = "no-columns";

    private final SeldonEventReader seldonEvents = new SeldonEventReader();
    private final SeldonV2Reader seldonV2 = new SeldonV2Reader();
    private final Pattern v2Topics;
    private final ModelSchemas schemas;
    private final Limits limits;

    /**
     * @param v2Prefix the Seldon Core v2 topic prefix, or null when v2 topics are not read
     * @param schemas  configured names and categorical features for payloads that lack them
     */
    public RecordDecoder(final String v2Prefix, final ModelSchemas schemas, final Limits limits) {
        this.v2Topics = v2Prefix == null ? null : SeldonV2Topic.pattern(v2Prefix);
        this.schemas = schemas;
        this.limits = limits;
    }

    /** Seldon Core v2's topics under the default prefix, no model schemas. */
    public RecordDecoder(final Limits limits) {
        this(DEFAULT_V2_PREFIX, ModelSchemas.none(), limits);
    }

    /** {@link #decode(String, Headers, byte[], byte[], long, long)} against the system clock. */
    public InferenceEvent decode(final String topic, final Headers headers, final byte[] key, final byte[] value,
                                 final long timestamp) {
        return decode(topic, headers, key, value, timestamp, System.currentTimeMillis());
    }

    /**
     * @param topic     the record's topic
     * @param timestamp the record timestamp, the event time when the record carries none
     * @param now       this instance's clock, which no event time may be far ahead of
     * @throws InvalidRecordException with the dead-letter reason when it cannot be decoded
     */
    public InferenceEvent decode(final String topic, final Headers headers, final byte[] key, final byte[] value,
                                 final long timestamp, final long now) {
        final Optional<SeldonV2Topic> v2 = v2Topics == null ? Optional.empty() : SeldonV2Topic.parse(v2Topics, topic);
        final InferenceEvent event = v2.isPresent()
            ? seldonV2.read(v2.get(), headers, key, value, timestamp)
            : seldonEvents.read(headers, value, timestamp);
        EventTimes.check(event.eventTime(), timestamp, now, limits.maxClockSkew());
        if (event.rows() != null) {
            checkRows(event.rows());
        }
        final RowBatch rows = schemas.apply(event.kind(), event.unit(), event.rows());
        return rows == event.rows() ? event
            : new InferenceEvent(event.kind(), event.unit(), event.requestId(), event.eventTime(), rows, event.error(), event.format());
    }

    private void checkRows(final RowBatch rows) {
        if (rows.columns() == 0 && rows.rows() > 0) {
            throw new InvalidRecordException(NO_COLUMNS, "The body has " + rows.rows() + " rows without a single column: nothing to monitor");
        }
        if (rows.rows() > limits.maxRowsPerEvent()) {
            throw new InvalidRecordException(LIMIT_EXCEEDED, "The body has " + rows.rows() + " rows; one event may carry at most "
                + limits.maxRowsPerEvent() + " (--max-rows-per-event)");
        }
        if (rows.hasNames()) {
            for (int column = 0; column < rows.columns(); column++) {
                if (rows.name(column).length() > Limits.MAX_NAME_LENGTH) {
                    throw new InvalidRecordException(LIMIT_EXCEEDED, "Column " + column + "'s name is " + rows.name(column).length()
                        + " characters long; a feature name may have at most " + Limits.MAX_NAME_LENGTH);
                }
            }
        }
    }
}
