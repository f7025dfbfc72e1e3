package io.monitml.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One counter as Prometheus shows it: a name, its help, its label names, and a series per set of
 * label values, registered when first asked for. Every counter of MonitML's own is made here.
 */
final class CounterFamily {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final List<String> labels;
    /** By the label's value when there is one label (no allocation per increment), else by the list of values. */
    private final Map<Object, Counter> series = new ConcurrentHashMap<>();

    CounterFamily(final MeterRegistry registry, final String name, final String description, final String... labels) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.labels = List.of(labels);
    }

    /** The series of these label values, in the order of the label names. */
    Counter with(final String... values) {
        if (values.length != labels.size()) {
            throw new IllegalArgumentException(name + " has labels " + labels + ", given " + Arrays.toString(values));
        }
        return series.computeIfAbsent(values.length == 1 ? values[0] : List.of(values), key -> {
            final Counter.Builder builder = Counter.builder(name).description(description);
            for (int i = 0; i < values.length; i++) {
                builder.tag(labels.get(i), values[i]);
            }
            return builder.register(registry);
        });
    }
}
