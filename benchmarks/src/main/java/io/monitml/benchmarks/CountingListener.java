package io.monitml.benchmarks;

import java.util.Map;

import io.monitml.topology.PipelineListener;

/** Counts what the pipeline reports: records read, late records, dead letters. */
final class CountingListener implements PipelineListener {
    final java.util.concurrent.atomic.LongAdder recordsIn = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder late = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder deadLettered = new java.util.concurrent.atomic.LongAdder();

    @Override
    public void recordIn(final String topic) {
        recordsIn.increment();
    }

    final Map<String, java.util.concurrent.atomic.LongAdder> lateByStage = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.concurrent.atomic.LongAdder paired = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder unpaired = new java.util.concurrent.atomic.LongAdder();

    @Override
    public void late(final String stage) {
        late.increment();
        lateByStage.computeIfAbsent(stage, k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    @Override
    public void paired() {
        paired.increment();
    }

    @Override
    public void unpaired(final String side) {
        unpaired.increment();
    }

    @Override
    public String toString() {
        return String.format("records in %,d, paired %,d, unpaired %,d, late %s, dead letters %,d", recordsIn.sum(), paired.sum(),
            unpaired.sum(), lateByStage, deadLettered.sum());
    }

    @Override
    public void deadLettered(final String reason, final String stage) {
        deadLettered.increment();
    }
}
