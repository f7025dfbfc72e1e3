package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Record;

import io.monitml.avro.InferenceRecord;
import io.monitml.avro.PredictionPartial;
import io.monitml.ingest.Unit;

/**
 * The latencies of paired inferences, per (unit, window of the request time), as prediction
 * partials that carry only a latency sketch: they cross the same repartition as the predictions'
 * partials and merge into the same window, so a closed window's statistics hold both.
 * An inference counts once, however many rows its batch had.
 */
final class LatencyPartialProcessor extends WindowedPartialsProcessor<InferenceRecord, PredictionWindow, PredictionPartial> {

    static final String LATE_STAGE = "latency";

    LatencyPartialProcessor(final TopologySettings settings, final PipelineListener listener) {
        super(Names.LATENCY_PARTIALS_BUFFER, LATE_STAGE, settings, listener);
    }

    @Override
    boolean accepts(final InferenceRecord row) {
        return row.getRowIndex() == 0 && row.getLatencyMillis() != null && PairingProcessor.PAIRED.equals(row.getPairing());
    }

    @Override
    long eventTime(final InferenceRecord row) {
        return row.getEventTime().toEpochMilli();
    }

    @Override
    String unitKey(final Record<String, InferenceRecord> record) {
        return Unit.fromAvro(record.value().getUnit()).key();
    }

    @Override
    PredictionWindow newWindow(final InferenceRecord row, final long windowStart) {
        return new PredictionWindow(PredictionPartials.empty(Unit.fromAvro(row.getUnit()), windowStart));
    }

    @Override
    void add(final PredictionWindow window, final InferenceRecord row) {
        window.addLatency(row.getLatencyMillis());
        if (row.getEventTime().isAfter(window.partial().getLastEventTime())) {
            window.partial().setLastEventTime(row.getEventTime());
        }
    }

    @Override
    PredictionPartial toPartial(final PredictionWindow window) {
        return window.toAvro();
    }

    @Override
    String unitKey(final PredictionPartial partial) {
        return PredictionPartials.unitKey(partial);
    }

    @Override
    long timestamp(final PredictionPartial partial) {
        return partial.getLastEventTime().toEpochMilli();
    }
}
