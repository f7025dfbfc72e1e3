package io.monitml.topology;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.avro.PredictionPartial;
import io.monitml.avro.PredictionStats;
import io.monitml.avro.TrainingBaseline;
import io.monitml.drift.DriftCalculator;
import io.monitml.ingest.Unit;

/**
 * Turns a closed window's merged partial into its statistics: moments, quantiles from the
 * sketch, and the predictions' distribution against the baseline's prediction column. A window
 * without a response (only the latency of requests answered in the next window) is not reported.
 */
final class ClosePredictionWindow implements Processor<Windowed<String>, PredictionPartial, String, PredictionStats> {

    private final DriftCalculator calculator;
    private final PipelineListener listener;
    private ProcessorContext<String, PredictionStats> context;
    private KeyValueStore<String, TrainingBaseline> baselines;

    ClosePredictionWindow(final DriftCalculator calculator, final PipelineListener listener) {
        this.calculator = calculator;
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, PredictionStats> context) {
        this.context = context;
        this.baselines = context.getStateStore(Names.BASELINES_STORE);
    }

    @Override
    public void process(final Record<Windowed<String>, PredictionPartial> record) {
        final PredictionPartial merged = record.value();
        if (merged.getResponses() == 0) {
            // Only latency samples: requests whose responses all fell in the next window (where traffic
            // starts). No response, no statistics to report; the samples count as latency that came late.
            if (merged.getLatencySketch() != null) {
                listener.late(PipelineListener.LATENCY, io.monitml.stats.Sketches.heapify(merged.getLatencySketch()).getN());
            }
            return;
        }
        final PredictionStats stats = PredictionRecords.toStats(record.key().window(), merged);
        final TrainingBaseline baseline = Baselines.of(baselines, Unit.fromKey(record.key().key()));
        if (baseline != null && baseline.getTarget() != null && merged.getSketch() != null) {
            stats.setDrift(DriftRecords.toAvro(calculator.predictionDrift(DriftRecords.expected(baseline.getTarget()), merged.getSketch(),
                stats.getCount())));
        }
        listener.predictionStatsClosed(stats);
        context.forward(new Record<>(record.key().key(), stats, record.timestamp()));
    }
}
