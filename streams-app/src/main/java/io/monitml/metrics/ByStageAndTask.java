package io.monitml.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A value per merging stage and task of this instance (a watermark, a count of units), for gauges
 * that aggregate over the tasks of a stage; a task's value goes when the task closes here.
 *
 * @param <V> the value
 */
final class ByStageAndTask<V> {

    private final Map<String, Map<String, V>> values = new ConcurrentHashMap<>();

    /** The stage's tasks and their values, live (what a gauge reads at each scrape). */
    Map<String, V> of(final String stage) {
        return values.computeIfAbsent(stage, s -> new ConcurrentHashMap<>());
    }

    void put(final String stage, final String task, final V value) {
        of(stage).put(task, value);
    }

    void remove(final String stage, final String task) {
        final Map<String, V> tasks = values.get(stage);
        if (tasks != null) {
            tasks.remove(task);
        }
    }
}
