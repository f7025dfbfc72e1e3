package io.monitml.http;

import java.util.Locale;

/**
 * What the ingest endpoint tells the application about its traffic, so that counters (Micrometer
 * or otherwise) can be wired without the endpoint depending on them. Calls come from HTTP handler
 * threads, Jetty's scheduler and the producer's I/O thread (acknowledgements), possibly
 * concurrently; implementations must be cheap, thread-safe, must not block and must not throw.
 */
public interface IngestListener {

    /** The type the labels endpoint reports its written labels under. */
    String LABEL_TYPE = "monitml.label";

    /** A listener that ignores everything. */
    IngestListener NONE = new IngestListener() {
    };

    /** One inference event was written to Kafka and acknowledged (called once per event). */
    default void accepted(final String type) {
    }

    /**
     * One event of a type that is not an inference (feedback, outlier, drift) was answered 202 but
     * not written (called once per event, only when the whole request succeeded).
     */
    default void ignored(final String type) {
    }

    /** A request was answered with an error; a rejected batch counts once. */
    default void rejected(final Reason reason) {
    }

    /** Why a request was not accepted. */
    enum Reason {
        METHOD_NOT_ALLOWED,
        UNAUTHORIZED,
        NOT_FOUND,
        TOO_LARGE,
        /** The body did not arrive within the read timeout. */
        TIMEOUT,
        MALFORMED,
        MISSING_TYPE,
        MISSING_REQUEST_ID,
        BAD_IDENTITY,
        KAFKA_UNAVAILABLE,
        INTERNAL_ERROR;

        /** A metric-tag spelling, e.g. {@code missing-request-id}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
