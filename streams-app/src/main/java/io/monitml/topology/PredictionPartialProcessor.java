package io.monitml.topology;

import io.monitml.aggregate.PredictionWindow;
import io.monitml.avro.PredictionPartial;
import io.monitml.config.TopologySettings;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.Unit;

/** The predictions of responses, per (unit, window): counts, errors, moments and a sketch. */
final class PredictionPartialProcessor extends EventPartialsProcessor<PredictionWindow, PredictionPartial> {

    PredictionPartialProcessor(final TopologySettings settings, final PipelineListener listener) {
        super(Names.PREDICTION_PARTIALS_BUFFER, PipelineListener.PREDICTION_STATISTICS, Names.PREDICTION_PARTIALS_PROGRESS, settings,
            listener);
    }

    @Override
    boolean accepts(final InferenceEvent event) {
        return event.kind() == EventKind.RESPONSE;
    }

    @Override
    PredictionWindow newWindow(final Unit unit, final long windowStart) {
        return new PredictionWindow(unit, windowStart);
    }

    @Override
    void add(final PredictionWindow window, final InferenceEvent event) {
        window.addResponse(event.eventTime(), event.failed(), event.rows());
    }

    @Override
    PredictionPartial toPartial(final PredictionWindow window) {
        return PredictionRecords.toAvro(window);
    }

    @Override
    long timestamp(final PredictionPartial partial) {
        return partial.getLastEventTime().toEpochMilli();
    }

    @Override
    String unitKey(final PredictionPartial partial) {
        return PredictionRecords.unitKey(partial);
    }
}
