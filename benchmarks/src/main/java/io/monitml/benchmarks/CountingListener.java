package io.monitml.benchmarks;

import java.util.Map;

import io.monitml.topology.PipelineListener;

/** Counts what the pipeline reports: records read, late records, dead letters. */
final class CountingListener implements PipelineListener {
    final java.util.concurrent.atomic.LongAdder recordsIn = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder late = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder deadLettered = new java.util.concurrent.atomic.LongAdder();

    /** Labels read from the labels topic: counted apart from the raw input whose throughput is measured. */
    final java.util.concurrent.atomic.LongAdder labelsIn = new java.util.concurrent.atomic.LongAdder();
    /** Labels the join is done with: joined, or counted unknown, duplicate or mismatched. */
    final java.util.concurrent.atomic.LongAdder labelsSettled = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder labelsJoined = new java.util.concurrent.atomic.LongAdder();
    private final Map<String, Long> waitingByTask = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong waitingPeak = new java.util.concurrent.atomic.AtomicLong();
    private final String labelsTopic;

    /** @param labelsTopic the labels topic, whose records are counted apart; null: none */
    CountingListener(final String labelsTopic) {
        this.labelsTopic = labelsTopic;
    }

    CountingListener() {
        this(null);
    }

    @Override
    public void recordIn(final String topic) {
        if (topic.equals(labelsTopic)) {
            labelsIn.increment();
        } else {
            recordsIn.increment();
        }
    }

    @Override
    public void labelOutcome(final String outcome) {
        labelsSettled.increment();
        if (outcome.equals(PipelineListener.LABEL_JOINED)) {
            labelsJoined.increment();
        }
    }

    @Override
    public void labelsWaiting(final String task, final long labels) {
        waitingByTask.put(task, labels);
        waitingPeak.accumulateAndGet(waitingByTask.values().stream().mapToLong(Long::longValue).sum(), Math::max);
    }

    /** The most labels that waited for their prediction at once, over this instance's tasks. */
    long labelsWaitingPeak() {
        return waitingPeak.get();
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
        return String.format("records in %,d, paired %,d, unpaired %,d, late %s, dead letters %,d, labels in %,d, joined %,d, settled %,d",
            recordsIn.sum(), paired.sum(), unpaired.sum(), lateByStage, deadLettered.sum(), labelsIn.sum(), labelsJoined.sum(),
            labelsSettled.sum());
    }

    @Override
    public void deadLettered(final String reason, final String stage) {
        deadLettered.increment();
    }
}
