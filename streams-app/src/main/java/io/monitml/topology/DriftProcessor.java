package io.monitml.topology;

import java.time.Instant;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.avro.DriftReport;
import io.monitml.avro.FeaturePartial;
import io.monitml.avro.TrainingBaseline;
import io.monitml.drift.DriftCalculator;
import io.monitml.ingest.Unit;

/** At window close, compares the window's features with the unit's latest training baseline. */
final class DriftProcessor implements Processor<Windowed<String>, FeaturePartial, String, DriftReport> {

    private final DriftCalculator calculator;
    private final PipelineListener listener;
    private ProcessorContext<String, DriftReport> context;
    private KeyValueStore<String, TrainingBaseline> baselines;

    DriftProcessor(final DriftCalculator calculator, final PipelineListener listener) {
        this.calculator = calculator;
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, DriftReport> context) {
        this.context = context;
        this.baselines = context.getStateStore(Names.BASELINES_STORE);
    }

    @Override
    public void process(final Record<Windowed<String>, FeaturePartial> record) {
        final Unit unit = Unit.fromKey(record.key().key());
        final DriftReport report = calculator.report(record.value(), Instant.ofEpochMilli(record.key().window().start()),
            Instant.ofEpochMilli(record.key().window().end()), baselineOf(unit));
        listener.driftReported(report);
        context.forward(new Record<>(record.key().key(), report, record.timestamp()));
    }

    /** The newest baseline for the unit's deployment: one naming the unit's model wins over one for every model. */
    private TrainingBaseline baselineOf(final Unit unit) {
        TrainingBaseline best = null;
        try (KeyValueIterator<String, TrainingBaseline> all = baselines.all()) {
            while (all.hasNext()) {
                final TrainingBaseline candidate = all.next().value;
                if (!candidate.getDeployment().equals(unit.deployment())
                    || candidate.getModel() != null && !candidate.getModel().equals(unit.model())) {
                    continue;
                }
                if (best == null || rank(candidate) > rank(best)
                    || rank(candidate) == rank(best) && candidate.getCreatedAt().isAfter(best.getCreatedAt())) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    private static int rank(final TrainingBaseline baseline) {
        return baseline.getModel() == null ? 0 : 1;
    }
}
