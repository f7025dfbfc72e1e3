package io.monitml.topology;

import java.util.List;

import io.monitml.avro.DriftReport;
import io.monitml.avro.PerformanceReport;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.EventKind;

/** Several listeners as one: each is called in order. */
public final class CompositeListener implements PipelineListener {

    private final List<PipelineListener> listeners;

    /** Combines listeners; each is called in order. */
    public static PipelineListener of(final PipelineListener... listeners) {
        return new CompositeListener(listeners);
    }

    private CompositeListener(final PipelineListener... listeners) {
        this.listeners = List.of(listeners);
    }

    @Override
    public void baselineRejected(final String key, final String reason) {
        listeners.forEach(l -> l.baselineRejected(key, reason));
    }

    @Override
    public void recordIn(final String topic) {
        listeners.forEach(l -> l.recordIn(topic));
    }

    @Override
    public void decoded(final String source, final String format, final EventKind kind, final int rows) {
        listeners.forEach(l -> l.decoded(source, format, kind, rows));
    }

    @Override
    public void featuresDropped(final io.monitml.ingest.Unit unit, final int columns) {
        listeners.forEach(l -> l.featuresDropped(unit, columns));
    }

    @Override
    public void recordDropped(final String topic, final String reason) {
        listeners.forEach(l -> l.recordDropped(topic, reason));
    }

    @Override
    public void deadLettered(final String reason, final String stage) {
        listeners.forEach(l -> l.deadLettered(reason, stage));
    }

    @Override
    public void paired() {
        listeners.forEach(PipelineListener::paired);
    }

    @Override
    public void unpaired(final String side) {
        listeners.forEach(l -> l.unpaired(side));
    }

    @Override
    public void duplicate(final String side) {
        listeners.forEach(l -> l.duplicate(side));
    }

    @Override
    public void pairingPending(final String task, final long rows) {
        listeners.forEach(l -> l.pairingPending(task, rows));
    }

    @Override
    public void late(final String stage, final long records) {
        listeners.forEach(l -> l.late(stage, records));
    }

    @Override
    public void labelOutcome(final String outcome) {
        listeners.forEach(l -> l.labelOutcome(outcome));
    }

    @Override
    public void labelsWaiting(final String task, final long labels) {
        listeners.forEach(l -> l.labelsWaiting(task, labels));
    }

    @Override
    public void labelsWaitingGone(final String task) {
        listeners.forEach(l -> l.labelsWaitingGone(task));
    }

    @Override
    public void performanceReported(final PerformanceReport report) {
        listeners.forEach(l -> l.performanceReported(report));
    }

    @Override
    public void driftReported(final DriftReport report) {
        listeners.forEach(l -> l.driftReported(report));
    }

    @Override
    public void predictionStatsClosed(final PredictionStats stats) {
        listeners.forEach(l -> l.predictionStatsClosed(stats));
    }

    @Override
    public void watermark(final String stage, final String task, final long watermarkMs) {
        listeners.forEach(l -> l.watermark(stage, task, watermarkMs));
    }

    @Override
    public void watermarkGone(final String stage, final String task) {
        listeners.forEach(l -> l.watermarkGone(stage, task));
    }

    @Override
    public void refused(final String aggregation, final String namespace, final long records) {
        listeners.forEach(l -> l.refused(aggregation, namespace, records));
    }

    @Override
    public void unitsMonitored(final String stage, final String task, final int units) {
        listeners.forEach(l -> l.unitsMonitored(stage, task, units));
    }

    @Override
    public void unitsMonitoredGone(final String stage, final String task) {
        listeners.forEach(l -> l.unitsMonitoredGone(stage, task));
    }
}
