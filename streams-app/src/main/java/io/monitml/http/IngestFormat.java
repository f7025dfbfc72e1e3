package io.monitml.http;

import org.eclipse.jetty.http.HttpFields;

/** What an ingest endpoint takes: how a request's body becomes the records it writes, and what a client is told to post. */
enum IngestFormat {
    CLOUD_EVENTS("CloudEvents", IngestBatch::read),
    LABELS("labels as JSON lines", LabelLines::read);

    private final String what;
    private final Reader reader;

    IngestFormat(final String what, final Reader reader) {
        this.what = what;
        this.reader = reader;
    }

    /** What the endpoint takes, as its answers name it. */
    String what() {
        return what;
    }

    /** @param receivedAt the records' timestamp: when the request was received */
    IngestBatch read(final HttpFields headers, final byte[] body, final String topic, final long receivedAt) throws IngestRejection {
        return reader.read(headers, body, topic, receivedAt);
    }

    private interface Reader {
        IngestBatch read(HttpFields headers, byte[] body, String topic, long receivedAt) throws IngestRejection;
    }
}
