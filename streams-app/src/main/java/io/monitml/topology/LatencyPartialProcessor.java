package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Record;

import io.monitml.aggregate.PredictionWindow;
import io.monitml.avro.PredictionPartial;
import io.monitml.config.TopologySettings;
import io.monitml.ingest.Unit;

/**
 * The latencies of paired inferences, per (unit, window of the request time), as prediction
 * partials that carry only a latency sketch: they cross the same repartition as the predictions'
 * partials and merge into the same window, so a closed window's statistics hold both.
 * An inference counts once, however many rows its batch had, at its request's time.
 *
 * <p>This stage announces no progress: a window does not wait for the pairing (which may wait for a
 * response up to the pairing wait); a latency partial merges while its window is open and counts as
 * late once the predictions' progress has closed it.
 */
final class LatencyPartialProcessor extends WindowedPartialsProcessor<PairedInference, PredictionWindow, PredictionPartial> {

    LatencyPartialProcessor(final TopologySettings settings, final PipelineListener listener) {
        super(Names.LATENCY_PARTIALS_BUFFER, PipelineListener.LATENCY, null, settings, listener);
    }

    @Override
    boolean accepts(final PairedInference inference) {
        return inference.paired();
    }

    @Override
    long eventTime(final PairedInference inference) {
        return inference.eventTime();
    }

    @Override
    String unitKey(final Record<String, PairedInference> record) {
        return record.value().unitKey();
    }

    @Override
    PredictionWindow newWindow(final PairedInference inference, final long windowStart) {
        return new PredictionWindow(Unit.fromKey(inference.unitKey()), windowStart);
    }

    @Override
    void add(final PredictionWindow window, final PairedInference inference) {
        window.addLatency(inference.eventTime(), inference.latencyMillis());
    }

    @Override
    PredictionPartial toPartial(final PredictionWindow window) {
        return PredictionRecords.toAvro(window);
    }

    @Override
    String unitKey(final PredictionPartial partial) {
        return PredictionRecords.unitKey(partial);
    }

    @Override
    long timestamp(final PredictionPartial partial) {
        return partial.getLastEventTime().toEpochMilli();
    }
}
