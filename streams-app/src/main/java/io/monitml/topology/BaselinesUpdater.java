package io.monitml.topology;

import org.apache.kafka.common.serialization.Deserializer;
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
 * removes it. A record that does not decode (corrupt bytes, a schema id the registry does not know,
 * another record type) or decodes into a baseline that cannot be used ({@link BaselineCheck}) is
 * logged and counted, and the last good baseline of its key stays in force: the global thread,
 * whose failure would stop the whole application, never sees an exception from it.
 */
final class BaselinesUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(BaselinesUpdater.class);

    private final Deserializer<TrainingBaseline> deserializer;
    private final String topic;
    private final PipelineListener listener;
    private KeyValueStore<String, TrainingBaseline> baselines;

    BaselinesUpdater(final Deserializer<TrainingBaseline> deserializer, final String topic, final PipelineListener listener) {
        this.deserializer = deserializer;
        this.topic = topic;
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        baselines = context.getStateStore(Names.BASELINES_STORE);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            baselines.delete(record.key());
            return;
        }
        final TrainingBaseline baseline;
        try {
            baseline = deserializer.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException e) {
            refuse(record.key(), BaselineCheck.UNDECODABLE, "it does not decode as a TrainingBaseline (" + e.getMessage() + ")");
            return;
        }
        final BaselineCheck.Problem problem = BaselineCheck.problem(baseline);
        if (problem != null) {
            refuse(record.key(), problem.reason(), problem.detail());
            return;
        }
        baselines.put(record.key(), baseline);
    }

    private void refuse(final String key, final String reason, final String detail) {
        LOG.warn("Refusing baseline {}: {}; {}", key, detail,
            baselines.get(key) == null ? "the baselines already in force stay" : "its previous record stays in force");
        listener.baselineRejected(key, reason);
    }
}
