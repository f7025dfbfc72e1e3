package io.monitml.topology;

import io.monitml.ingest.Label;

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

    record Truth(Label label) implements JoinInput {
    }
}
