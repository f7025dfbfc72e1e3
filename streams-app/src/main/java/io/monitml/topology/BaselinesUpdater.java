package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.avro.TrainingBaseline;
import io.monitml.baseline.BaselineCheck;

/**
 * Keeps every instance's copy of the baselines topic: the latest usable baseline per key, a tombstone
 * removes it. A baseline that decodes but cannot be used ({@link BaselineCheck}) is logged and counted,
 * and the last good baseline of its key stays in force. (A record that does not decode at all never
 * reaches this processor: the global thread logs it and goes on, and it changes nothing either.)
 */
final class BaselinesUpdater implements Processor<String, TrainingBaseline, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(BaselinesUpdater.class);

    private final PipelineListener listener;
    private KeyValueStore<String, TrainingBaseline> baselines;

    BaselinesUpdater(final PipelineListener listener) {
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        baselines = context.getStateStore(Names.BASELINES_STORE);
    }

    @Override
    public void process(final Record<String, TrainingBaseline> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            baselines.delete(record.key());
        } else {
            final BaselineCheck.Problem problem = BaselineCheck.problem(record.value());
            if (problem != null) {
                LOG.warn("Refusing baseline {}: {}; {}", record.key(), problem.detail(),
                    baselines.get(record.key()) == null ? "the baselines already in force stay" : "its previous record stays in force");
                listener.baselineRejected(record.key(), problem.reason());
                return;
            }
            baselines.put(record.key(), record.value());
        }
    }
}
