package io.monitml.topology;

import java.time.Instant;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
        final DriftReport report = DriftRecords.report(calculator, record.value(), Baselines.of(baselines, unit),
            Instant.ofEpochMilli(record.key().window().start()), Instant.ofEpochMilli(record.key().window().end()));
        listener.driftReported(report);
        context.forward(new Record<>(record.key().key(), report, record.timestamp()));
    }
}
