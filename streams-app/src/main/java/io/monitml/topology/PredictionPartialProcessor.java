package io.monitml.topology;

import java.time.Instant;

import io.monitml.avro.PredictionPartial;
import io.monitml.config.TopologySettings;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.RowBatch;
import io.monitml.stats.RunningMoments;

/** The predictions of responses, per (unit, window): counts, errors, moments and a sketch. */
final class PredictionPartialProcessor extends EventPartialsProcessor<PredictionWindow, PredictionPartial> {

    static final String LATE_STAGE = PipelineListener.PREDICTION_STATISTICS;

    PredictionPartialProcessor(final TopologySettings settings, final PipelineListener listener) {
        super(Names.PREDICTION_PARTIALS_BUFFER, LATE_STAGE, Names.PREDICTION_PARTIALS_PROGRESS, settings, listener);
    }

    @Override
    boolean accepts(final InferenceEvent event) {
        return event.kind() == EventKind.RESPONSE;
    }

    @Override
    PredictionWindow newWindow(final Unit unit, final long windowStart) {
        return new PredictionWindow(PredictionPartials.empty(unit, windowStart));
    }

    @Override
    void add(final PredictionWindow window, final InferenceEvent event) {
        final PredictionPartial partial = window.partial();
        partial.setResponses(partial.getResponses() + 1);
        if (event.eventTime() > partial.getLastEventTime().toEpochMilli()) {
            partial.setLastEventTime(Instant.ofEpochMilli(event.eventTime()));
        }
        if (event.failed()) {
            partial.setErrorCount(partial.getErrorCount() + 1);
            return;
        }
        final RowBatch rows = event.rows();
        if (rows == null || rows.columns() == 0) {
            return;
        }
        if (partial.getOutput() == null) {
            partial.setOutput(rows.name(0));
        }
        final RunningMoments moments = PredictionPartials.moments(partial);
        // The first output is the prediction; further outputs (class probabilities) come later.
        for (int row = 0; row < rows.rows(); row++) {
            moments.add(rows.value(row, 0));
            window.add(rows.value(row, 0));
        }
        PredictionPartials.setMoments(partial, moments);
    }

    @Override
    PredictionPartial toPartial(final PredictionWindow window) {
        return window.toAvro();
    }

    @Override
    long timestamp(final PredictionPartial partial) {
        return partial.getLastEventTime().toEpochMilli();
    }

    @Override
    String unitKey(final PredictionPartial partial) {
        return PredictionPartials.unitKey(partial);
    }
}
