package io.monitml.topology;

import java.time.Duration;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.avro.TrainingBaseline;
import io.monitml.ingest.Limits;
import io.monitml.ingest.Unit;

/**
 * In front of a merging stage, keyed by unit: lets through the partials of the units its task
 * monitors ({@link UnitAdmission}) and the sources' progress announcements, and drops the partials
 * of a refused unit, counting their records by aggregation and namespace.
 *
 * @param <A> the partial (Avro)
 */
final class AdmitUnitsProcessor<A> implements Processor<String, A, String, A> {

    private static final Duration MIN_EXPIRY_CHECK = Duration.ofSeconds(1);

    private final String stage;
    private final String unitsName;
    private final WindowMerger.Partials<A> partials;
    private final Limits limits;
    private final PipelineListener listener;
    private ProcessorContext<String, A> context;
    private UnitAdmission admission;
    private String task;

    AdmitUnitsProcessor(final String stage, final String unitsName, final WindowMerger.Partials<A> partials, final Limits limits,
                        final PipelineListener listener) {
        this.stage = stage;
        this.unitsName = unitsName;
        this.partials = partials;
        this.limits = limits;
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, A> processorContext) {
        this.context = processorContext;
        this.task = processorContext.taskId().toString();
        final KeyValueStore<String, TrainingBaseline> baselines = processorContext.getStateStore(Names.BASELINES_STORE);
        this.admission = new UnitAdmission(processorContext.getStateStore(unitsName),
            unit -> Baselines.of(baselines, unit) != null, limits);
        listener.unitsMonitored(stage, task, admission.size());
        final Duration tenth = limits.unitExpiry().dividedBy(10);
        processorContext.schedule(tenth.compareTo(MIN_EXPIRY_CHECK) < 0 ? MIN_EXPIRY_CHECK : tenth, PunctuationType.WALL_CLOCK_TIME, now -> {
            admission.expire(now);
            listener.unitsMonitored(stage, task, admission.size());
        });
    }

    @Override
    public void process(final Record<String, A> record) {
        if (record.value() == null) {
            context.forward(record);
            return;
        }
        final int before = admission.size();
        if (admission.admit(record.key(), context.currentSystemTimeMs())) {
            if (admission.size() != before) {
                listener.unitsMonitored(stage, task, admission.size());
            }
            context.forward(record);
        } else {
            final String namespace = Unit.fromKey(record.key()).namespace();
            partials.records(record.value(), (aggregation, records) -> listener.refused(aggregation, namespace, records));
        }
    }

    @Override
    public void close() {
        listener.unitsMonitoredGone(stage, task);
    }
}
