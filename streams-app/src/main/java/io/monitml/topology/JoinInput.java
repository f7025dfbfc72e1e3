package io.monitml.topology;

import io.monitml.ingest.Label;
import io.monitml.ingest.LabelJson;

/**
 * What crosses the label join's repartition by request id: a prediction to keep for its label, or a
 * label. Both on one topic, so that a request's prediction and its label always meet in one task,
 * whatever the partitions of the topics they came from.
 */
sealed interface JoinInput permits JoinInput.Prediction, JoinInput.Truth {

    /**
     * A response's predictions: the first output of each of its rows.
     *
     * @param unitKey   the unit that answered: the label is judged for it, whoever sends the label
     * @param eventTime the response's event time, which decides the window
     */
    record Prediction(String unitKey, long eventTime, double[] values) implements JoinInput {
    }

    /**
     * @param json the label as JSON, as it came: {@code LabelJson.read(json, label.requestId(), label.timeMillis())} gives
     *             the label back (its time may come from the record's timestamp), so that a label that waits is kept
     *             as it came, not written again
     */
    record Truth(Label label, byte[] json) implements JoinInput {

        /** With the label's JSON written anew. */
        Truth(final Label label) {
            this(label, LabelJson.write(label));
        }
    }
}
