package io.monitml.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.aggregate.FeatureBudget;
import io.monitml.aggregate.FeatureWindow;
import io.monitml.avro.FeaturePartial;
import io.monitml.avro.TrainingBaseline;
import io.monitml.config.TopologySettings;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.Limits;
import io.monitml.ingest.Unit;

/** The features of requests, per (unit, window): sketches, category and missing counts. */
final class FeaturePartialProcessor extends EventPartialsProcessor<FeatureWindow, FeaturePartial> {

    private final Limits limits;
    private final PipelineListener listener;
    private KeyValueStore<String, TrainingBaseline> baselines;

    FeaturePartialProcessor(final TopologySettings settings, final PipelineListener listener) {
        super(Names.FEATURE_PARTIALS_BUFFER, PipelineListener.FEATURE_DRIFT, Names.FEATURE_PARTIALS_PROGRESS, settings, listener);
        this.limits = settings.limits();
        this.listener = listener;
    }

    @Override
    void opened(final ProcessorContext<String, FeaturePartial> context) {
        baselines = context.getStateStore(Names.BASELINES_STORE);
    }

    @Override
    boolean accepts(final InferenceEvent event) {
        return event.kind() == EventKind.REQUEST && event.rows() != null && event.rows().rows() > 0;
    }

    @Override
    FeatureWindow newWindow(final Unit unit, final long windowStart) {
        // The baseline's features and categories come first when a payload has more than the window keeps.
        return new FeatureWindow(unit, windowStart, FeatureBudget.of(limits, DriftRecords.expected(Baselines.of(baselines, unit))));
    }

    @Override
    void add(final FeatureWindow window, final InferenceEvent event) {
        final int dropped = window.add(event.rows(), event.eventTime());
        if (dropped > 0) {
            listener.featuresDropped(event.unit(), dropped);
        }
    }

    @Override
    FeaturePartial toPartial(final FeatureWindow window) {
        return DriftRecords.toAvro(window);
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
