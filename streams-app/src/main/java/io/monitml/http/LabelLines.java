package io.monitml.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.jetty.http.HttpFields;

import io.monitml.ingest.Label;
import io.monitml.ingest.LabelJson;
import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * The body of {@code POST /api/v1/labels}: labels as JSON lines ({@code schemas/json/label.schema.json},
 * one object per line, blank lines skipped), validated as a whole before anything is written. Each
 * becomes one record of the labels topic, keyed by its request id, its value the label as
 * {@link LabelJson#write} writes it: with its time, the time of receipt when it had none.
 */
final class LabelLines {

    private LabelLines() {
    }

    /** @throws IngestRejection 400 naming the first line that is not a label, and why */
    static IngestBatch read(final HttpFields headers, final byte[] body, final String topic, final long receivedAt) throws IngestRejection {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int start = 0;
        for (int line = 1; start < body.length; line++) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            if (!blank(body, start, end)) {
                final Label label;
                try {
                    label = LabelJson.read(Arrays.copyOfRange(body, start, end), null, receivedAt);
                } catch (InvalidRecordException e) {
                    throw new IngestRejection(400, IngestListener.Reason.MALFORMED, "line " + line + " is not a label (" + e.reason() + "): "
                        + e.getMessage());
                }
                records.add(new ProducerRecord<>(topic, null, receivedAt, label.requestId().getBytes(StandardCharsets.UTF_8),
                    LabelJson.write(label)));
            }
            start = end + 1;
        }
        if (records.isEmpty()) {
            throw new IngestRejection(400, IngestListener.Reason.MALFORMED,
                "no label in the body: send JSON lines of {\"requestId\", \"truth\", \"time\"?}");
        }
        return new IngestBatch(records, java.util.Collections.nCopies(records.size(), IngestListener.LABEL_TYPE), List.of());
    }

    private static boolean blank(final byte[] body, final int start, final int end) {
        for (int i = start; i < end; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
