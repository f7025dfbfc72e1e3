package io.monitml.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

import io.monitml.avro.PerformancePartial;
import io.monitml.avro.PerformanceReport;
import io.monitml.config.TopologySettings;

/**
 * Adds the label join's partials into each (unit, window)'s realized performance, kept in a logged
 * window store for {@link TopologySettings#performanceRetention()}, and writes the window's
 * figures so far at every change, to the topic and to a window store of reports for queries, keyed by unit and window start: labels keep coming after a window
 * has closed, so a window is never final before its end plus the label horizon, and the compacted
 * topic keeps its latest figures. A partial of a window older than the retention, which no label
 * within the horizon can make, is counted late and left out.
 */
final class PerformanceMerger implements Processor<String, PerformancePartial, String, PerformanceReport> {

    private final long windowSizeMs;
    private final long retentionMs;
    private final PipelineListener listener;
    private ProcessorContext<String, PerformanceReport> context;
    private WindowStore<String, PerformancePartial> store;
    private WindowStore<String, PerformanceReport> reports;
    private long latestStart = Long.MIN_VALUE;

    PerformanceMerger(final TopologySettings settings, final PipelineListener listener) {
        this.windowSizeMs = settings.windowSize().toMillis();
        this.retentionMs = settings.performanceRetention().toMillis();
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, PerformanceReport> processorContext) {
        this.context = processorContext;
        this.store = processorContext.getStateStore(Names.PERFORMANCE_STORE);
        this.reports = processorContext.getStateStore(Names.PERFORMANCE_REPORTS_STORE);
    }

    @Override
    public void process(final Record<String, PerformancePartial> record) {
        final PerformancePartial partial = record.value();
        if (partial == null) {
            return;
        }
        final long start = partial.getWindowStart().toEpochMilli();
        latestStart = Math.max(latestStart, start);
        if (latestStart - start >= retentionMs - windowSizeMs) {
            listener.late(PipelineListener.PERFORMANCE, partial.getError().getCount());
            return;
        }
        final PerformancePartial merged = PerformanceRecords.MERGING.merge(store.fetch(record.key(), start), partial);
        store.put(record.key(), merged, start);
        final PerformanceReport report = PerformanceRecords.toReport(merged, windowSizeMs);
        reports.put(record.key(), report, start);
        listener.performanceReported(report);
        context.forward(new Record<>(PerformanceRecords.topicKey(record.key(), start), report, record.timestamp()));
    }
}
