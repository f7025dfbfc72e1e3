package io.monitml.metrics;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.monitml.baseline.BaselineCheck;
import io.monitml.ingest.EventKind;
import io.monitml.topology.DeadLetterHandler;
import io.monitml.topology.PipelineListener;

/**
 * The pipeline's own counters and gauges: records in, decoded, dead-lettered, dropped, late and
 * refused; pairing; baselines refused; the merging stages' watermarks and units. Counters whose
 * label values are known in advance start at zero, so that they are in every scrape from the start
 * and rate() and alert rules see the first increment (Prometheus's advice on missing series).
 */
final class PipelineMetrics implements PipelineListener {

    static final int MAX_REFUSED_NAMESPACES = 100;
    static final String OTHER_NAMESPACES = "other";

    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final CounterFamily recordsIn;
    private final CounterFamily decoded;
    private final CounterFamily inferenceRows;
    private final CounterFamily deadLettered;
    private final CounterFamily dropped;
    private final CounterFamily paired;
    private final CounterFamily unpaired;
    private final CounterFamily duplicates;
    private final CounterFamily late;
    private final CounterFamily refused;
    private final CounterFamily baselinesRejected;
    private final CounterFamily labels;
    private final Map<String, Long> labelsWaitingByTask = new ConcurrentHashMap<>();
    private final AtomicLong unaccounted = new AtomicLong();
    private final Map<String, Long> pendingByTask = new ConcurrentHashMap<>();
    /** Per merging stage, the units each of its tasks on this instance monitors. */
    private final ByStageAndTask<Integer> unitsByTask = new ByStageAndTask<>();
    /** Per merging stage, its tasks' watermarks on this instance. */
    private final ByStageAndTask<Long> watermarks = new ByStageAndTask<>();
    private final Set<String> refusedNamespaces = ConcurrentHashMap.newKeySet();

    /** @param clock wall-clock milliseconds, for the watermarks' lag */
    PipelineMetrics(final MeterRegistry registry, final LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
        recordsIn = new CounterFamily(registry, "monitml.records.in", "Raw records read from an input topic", "topic");
        decoded = new CounterFamily(registry, "monitml.records.decoded",
            "Records decoded into inference events, by input topic, body format and kind (request, response, other)", "topic", "format", "kind");
        inferenceRows = new CounterFamily(registry, "monitml.inference.rows",
            "Rows (instances) in decoded events, by input topic, body format and kind", "topic", "format", "kind");
        deadLettered = new CounterFamily(registry, "monitml.records.dead.lettered",
            "Records sent to the dead-letter topic, by reason and stage (decode, deserialize, process)", "reason", "stage");
        dropped = new CounterFamily(registry, "monitml.records.dropped", "Records derived from the input (results, partials) that could not"
            + " be written, by topic and reason (too-large: more than the topic takes); the task went on without them", "topic", "reason");
        paired = new CounterFamily(registry, "monitml.pairing.paired", "Request rows joined with their response rows");
        unpaired = new CounterFamily(registry, "monitml.pairing.unpaired",
            "Rows whose other half did not come within the pairing wait, by the side that came", "side");
        duplicates = new CounterFamily(registry, "monitml.duplicate.events",
            "Events sent again (same unit, side and request id: a retried request, a redelivery) and dropped, counted once", "side");
        late = new CounterFamily(registry, "monitml.records.late",
            "Records that arrived after their window had closed (end plus grace), by the aggregation that refused them", "aggregation");
        refused = new CounterFamily(registry, "monitml.records.refused", "Records of units that got no place among --max-units (new units"
            + " beyond the limit, units without a baseline beyond half of it or beyond --max-units-per-namespace), by aggregation and"
            + " namespace (the first " + MAX_REFUSED_NAMESPACES + " namespaces, then " + OTHER_NAMESPACES + ")", "aggregation", "namespace");
        baselinesRejected = new CounterFamily(registry, "monitml.baselines.rejected",
            "Baseline records that decoded but could not be used, by reason; the last good baseline stays in force", "reason");

        labels = new CounterFamily(registry, "monitml.labels", "Labels by what became of them: joined (judged its prediction),"
            + " unknown (its prediction was never seen within --label-wait, or is past --label-horizon), duplicate (its prediction was"
            + " judged already), mismatch (its shape does not fit the prediction; also a dead letter)", "outcome");
        Gauge.builder("monitml.labels.waiting", labelsWaitingByTask, waiting -> waiting.values().stream().mapToLong(Long::longValue).sum())
            .description("Labels that came before their prediction and wait for it (at most --label-wait), summed over this instance's"
                + " tasks").register(registry);
        Gauge.builder("monitml.pairing.pending", pendingByTask, pending -> pending.values().stream().mapToLong(Long::longValue).sum())
            .description("Rows waiting for their other half (approximate, summed over this instance's tasks)")
            .register(registry);
        // The accounting invariant of the input: every raw record read (monitml_records_in_total) was either decoded
        // (monitml_records_decoded_total) or dead-lettered at the decode stage. One counter moved by all three, so that a
        // scrape sees no tear between them: the records a stream thread is decoding at that instant; anything that stays is a bug.
        Gauge.builder("monitml.records.unaccounted", unaccounted, AtomicLong::get)
            .description("Raw records read but neither decoded nor dead-lettered (records in minus decoded minus"
                + " dead-lettered at the decode stage): at most the records being decoded at the instant, 0 between records")
            .register(registry);
        for (final String stage : PipelineListener.MERGING_STAGES) {
            final Map<String, Long> tasks = watermarks.of(stage);
            Gauge.builder("monitml.watermark.lag.seconds", tasks, this::watermarkLagSeconds)
                .description("How far this instance's merging stage is behind the clock in event time: the clock minus the oldest"
                    + " watermark of its tasks (windows close when the watermark passes their end plus grace); NaN with no task")
                .tag("aggregation", stage)
                .register(registry);
        }
        registerKnownCounters();
    }

    private void registerKnownCounters() {
        paired.with();
        PipelineListener.AGGREGATIONS.forEach(aggregation -> {
            late.with(aggregation);
            // A refused namespace gets its own series; the shared one is there from the start, so that the rules see the metric.
            refused.with(aggregation, OTHER_NAMESPACES);
        });
        BaselineCheck.REASONS.forEach(baselinesRejected::with);
        PipelineListener.LABEL_OUTCOMES.forEach(labels::with);
        // Reasons come from the payloads' faults, too many to list; an internal error is the one to watch from the start.
        deadLettered.with(DeadLetterHandler.INTERNAL_ERROR, DeadLetterHandler.STAGE_DECODE);
        deadLettered.with(DeadLetterHandler.INTERNAL_ERROR, DeadLetterHandler.STAGE_PROCESS);
        PipelineListener.SIDES.forEach(side -> {
            unpaired.with(side);
            duplicates.with(side);
        });
    }

    /** Exports the result topics' dropped records at zero from the start (reason too-large), so that rules see the first. */
    void watchResultTopics(final Collection<String> topics) {
        topics.forEach(topic -> dropped.with(topic, DeadLetterHandler.TOO_LARGE));
    }

    /** Exports the units this instance's merging tasks monitor, their fewest free places, and how many each may (--max-units). */
    void watchUnits(final int maxUnitsPerTask) {
        for (final String stage : PipelineListener.MERGING_STAGES) {
            final Map<String, Integer> tasks = unitsByTask.of(stage);
            Gauge.builder("monitml.units.monitored", tasks, t -> t.values().stream().mapToInt(Integer::intValue).sum())
                .description("Units (namespace, deployment, variant, model) this instance's merging tasks monitor")
                .tag("aggregation", stage)
                .register(registry);
            Gauge.builder("monitml.units.free.places", tasks, t -> {
                    final OptionalInt fullest = t.values().stream().mapToInt(Integer::intValue).max();
                    return fullest.isEmpty() ? Double.NaN : maxUnitsPerTask - fullest.getAsInt();
                })
                .description("The fewest free places among this instance's merging tasks (monitml_units_limit minus the units of the"
                    + " fullest task): at 0 a new unit of that task is refused; NaN with no task")
                .tag("aggregation", stage)
                .register(registry);
        }
        Gauge.builder("monitml.units.limit", () -> maxUnitsPerTask)
            .description("Units each task of a merging stage may monitor at once (--max-units)")
            .register(registry);
    }

    @Override
    public void recordIn(final String topic) {
        unaccounted.incrementAndGet();
        recordsIn.with(topic).increment();
    }

    @Override
    public void decoded(final String source, final String format, final EventKind kind, final int rows) {
        unaccounted.decrementAndGet();
        final String kindLabel = kind.name().toLowerCase(Locale.ROOT);
        decoded.with(source, format, kindLabel).increment();
        if (rows > 0) {
            inferenceRows.with(source, format, kindLabel).increment(rows);
        }
    }

    @Override
    public void deadLettered(final String reason, final String stage) {
        if (DeadLetterHandler.STAGE_DECODE.equals(stage)) {
            unaccounted.decrementAndGet();
        }
        deadLettered.with(reason, stage).increment();
    }

    @Override
    public void recordDropped(final String topic, final String reason) {
        dropped.with(topic, reason).increment();
    }

    @Override
    public void paired() {
        paired.with().increment();
    }

    @Override
    public void unpaired(final String side) {
        unpaired.with(side).increment();
    }

    @Override
    public void duplicate(final String side) {
        duplicates.with(side).increment();
    }

    @Override
    public void pairingPending(final String task, final long rows) {
        pendingByTask.put(task, rows);
    }

    @Override
    public void labelOutcome(final String outcome) {
        labels.with(outcome).increment();
    }

    @Override
    public void labelsWaiting(final String task, final long count) {
        labelsWaitingByTask.put(task, count);
    }

    @Override
    public void labelsWaitingGone(final String task) {
        labelsWaitingByTask.remove(task);
    }

    @Override
    public void late(final String stage, final long records) {
        late.with(stage).increment(records);
    }

    @Override
    public void refused(final String aggregation, final String namespace, final long records) {
        // Namespaces come from senders: the first ones get a series each, the rest share one.
        final String label = refusedNamespaces.size() < MAX_REFUSED_NAMESPACES || refusedNamespaces.contains(namespace)
            ? namespace : OTHER_NAMESPACES;
        if (!label.equals(OTHER_NAMESPACES)) {
            refusedNamespaces.add(namespace);
        }
        refused.with(aggregation, label).increment(records);
    }

    @Override
    public void baselineRejected(final String key, final String reason) {
        baselinesRejected.with(reason).increment();
    }

    @Override
    public void watermark(final String stage, final String task, final long watermarkMs) {
        watermarks.put(stage, task, watermarkMs);
    }

    @Override
    public void watermarkGone(final String stage, final String task) {
        watermarks.remove(stage, task);
    }

    @Override
    public void unitsMonitored(final String stage, final String task, final int count) {
        unitsByTask.put(stage, task, count);
    }

    @Override
    public void unitsMonitoredGone(final String stage, final String task) {
        unitsByTask.remove(stage, task);
    }

    private double watermarkLagSeconds(final Map<String, Long> tasks) {
        final OptionalLong oldest = tasks.values().stream().mapToLong(Long::longValue).min();
        return oldest.isEmpty() ? Double.NaN : (clock.getAsLong() - oldest.getAsLong()) / 1000.0;
    }
}
