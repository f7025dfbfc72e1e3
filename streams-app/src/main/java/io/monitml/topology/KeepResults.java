package io.monitml.topology;

import java.time.Instant;
import java.util.function.Function;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Keeps each closed window's result for interactive queries, then passes it on unchanged: in a
 * window store (every window within the retention, by unit and window start) and in a key-value
 * store (the unit's latest window, for listing the units without scanning the windows).
 */
final class KeepResults<V> implements Processor<String, V, String, V> {

    private final String windowsStore;
    private final String latestStore;
    private final Function<V, Instant> windowStart;
    private ProcessorContext<String, V> context;
    private WindowStore<String, V> windows;
    private KeyValueStore<String, V> latest;

    KeepResults(final String windowsStore, final String latestStore, final Function<V, Instant> windowStart) {
        this.windowsStore = windowsStore;
        this.latestStore = latestStore;
        this.windowStart = windowStart;
    }

    @Override
    public void init(final ProcessorContext<String, V> context) {
        this.context = context;
        this.windows = context.getStateStore(windowsStore);
        this.latest = context.getStateStore(latestStore);
    }

    @Override
    public void process(final Record<String, V> record) {
        final long start = windowStart.apply(record.value()).toEpochMilli();
        windows.put(record.key(), record.value(), start);
        final V previous = latest.get(record.key());
        if (previous == null || windowStart.apply(previous).toEpochMilli() <= start) {
            latest.put(record.key(), record.value());
        }
        context.forward(record);
    }
}
