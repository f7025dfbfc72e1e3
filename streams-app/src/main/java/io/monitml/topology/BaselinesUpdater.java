package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.avro.TrainingBaseline;

/** Keeps every instance's copy of the baselines topic: the latest baseline per key, a tombstone removes it. */
final class BaselinesUpdater implements Processor<String, TrainingBaseline, Void, Void> {

    private KeyValueStore<String, TrainingBaseline> baselines;

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
            baselines.put(record.key(), record.value());
        }
    }
}
