package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Record;

import io.monitml.config.TopologySettings;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.Unit;

/** Partials built straight from decoded events, which arrive keyed by their unit (see {@link NormalizeProcessor}). */
abstract class EventPartialsProcessor<W, P> extends WindowedPartialsProcessor<InferenceEvent, W, P> {

    EventPartialsProcessor(final String bufferName, final String lateStage, final String progressName,
                           final TopologySettings settings, final PipelineListener listener) {
        super(bufferName, lateStage, progressName, settings, listener);
    }

    abstract W newWindow(Unit unit, long windowStart);

    @Override
    final long eventTime(final InferenceEvent event) {
        return event.eventTime();
    }

    /** The record key is already the unit's key: no need to build it again per record. */
    @Override
    final String unitKey(final Record<String, InferenceEvent> record) {
        return record.key();
    }

    @Override
    final W newWindow(final InferenceEvent event, final long windowStart) {
        return newWindow(event.unit(), windowStart);
    }
}
