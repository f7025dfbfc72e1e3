package io.monitml.topology;

import io.monitml.avro.FeaturePartial;
import io.monitml.drift.FeatureWindow;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.Unit;

/** The features of requests, per (unit, window): sketches, category and missing counts. */
final class FeaturePartialProcessor extends EventPartialsProcessor<FeatureWindow, FeaturePartial> {

    static final String LATE_STAGE = "feature-drift";

    FeaturePartialProcessor(final TopologySettings settings, final PipelineListener listener) {
        super(Names.FEATURE_PARTIALS_BUFFER, LATE_STAGE, settings, listener);
    }

    @Override
    boolean accepts(final InferenceEvent event) {
        return event.kind() == EventKind.REQUEST && event.rows() != null && event.rows().rows() > 0;
    }

    @Override
    FeatureWindow newWindow(final Unit unit, final long windowStart) {
        return new FeatureWindow(unit, windowStart);
    }

    @Override
    void add(final FeatureWindow window, final InferenceEvent event) {
        window.add(event.rows(), event.eventTime());
    }

    @Override
    FeaturePartial toPartial(final FeatureWindow window) {
        return window.toAvro();
    }

    @Override
    long timestamp(final FeaturePartial partial) {
        return partial.getLastEventTime().toEpochMilli();
    }

    @Override
    String unitKey(final FeaturePartial partial) {
        return Unit.fromAvro(partial.getUnit()).key();
    }
}
