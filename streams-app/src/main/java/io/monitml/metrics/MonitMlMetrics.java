package io.monitml.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.monitml.avro.DriftReport;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.ModelUnit;
import io.monitml.avro.PredictionStats;
import io.monitml.baseline.BaselineCheck;
import io.monitml.http.IngestListener;
import io.monitml.ingest.EventKind;
import io.monitml.topology.DeadLetterHandler;
import io.monitml.topology.PipelineListener;

/**
 * MonitML's own Prometheus metrics: pipeline counters and, per unit, the statistics of its last
 * closed window as gauges labelled namespace, deployment, variant and model.
 */
public final class MonitMlMetrics implements PipelineListener, IngestListener {

    /** At most this many features per unit get drift series; the drift reports on Kafka keep them all. */
    public static final int MAX_FEATURE_SERIES_PER_UNIT = 100;
    /**
     * At most this many features over all units get drift series (four each), so that the scrape stays
     * bounded: units are bounded by --max-units, their own series by this class, features by this.
     */
    public static final int MAX_FEATURE_SERIES = 2_500;

    private final MeterRegistry registry;
    private final Map<String, Counter> recordsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> decoded = new ConcurrentHashMap<>();
    private final Map<String, Counter> inferenceRows = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong unaccounted = new java.util.concurrent.atomic.AtomicLong();
    /** Every unit's series, so that a unit's expiry removes exactly its own meters. */
    private final Map<String, UnitSeries> units = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger featureSeries = new java.util.concurrent.atomic.AtomicInteger();
    private final Counter featureSeriesRefused;
    private final Map<String, Counter> unpaired = new ConcurrentHashMap<>();
    private final Map<String, Counter> duplicates = new ConcurrentHashMap<>();
    private final Map<String, Long> pendingByTask = new ConcurrentHashMap<>();
    /** Per merging stage, the units each of its tasks on this instance monitors. */
    private final Map<String, Map<String, Integer>> unitsByTask = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final java.util.Set<String> refusedNamespaces = ConcurrentHashMap.newKeySet();
    static final int MAX_REFUSED_NAMESPACES = 100;
    static final String OTHER_NAMESPACES = "other";
    /** Per merging stage, its tasks' watermarks on this instance. */
    private final Map<String, Map<String, Long>> watermarks = new ConcurrentHashMap<>();
    private final Counter paired;
    private final Map<String, Counter> late = new ConcurrentHashMap<>();
    private final Map<String, Counter> baselinesRejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> ingestEvents = new ConcurrentHashMap<>();
    private final Map<IngestListener.Reason, Counter> ingestRejected = new ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicLong lastWindowClosedMillis = new java.util.concurrent.atomic.AtomicLong();
    private final LongSupplier clock;

    public MonitMlMetrics(final MeterRegistry registry) {
        this(registry, System::currentTimeMillis);
    }

    /** @param clock wall-clock milliseconds, for the time of the last closed window and series expiry */
    public MonitMlMetrics(final MeterRegistry registry, final LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("monitml.last.window.closed.seconds", lastWindowClosedMillis, t -> t.get() == 0 ? Double.NaN : t.get() / 1000.0)
            .description("When the pipeline last closed a window (Unix time); it stalls when this stops advancing")
            .register(registry);
        this.paired = Counter.builder("monitml.pairing.paired")
            .description("Request rows joined with their response rows")
            .register(registry);
        Gauge.builder("monitml.pairing.pending", pendingByTask, pending -> pending.values().stream().mapToLong(Long::longValue).sum())
            .description("Rows waiting for their other half (approximate, summed over this instance's tasks)")
            .register(registry);
        Gauge.builder("monitml.records.unaccounted", this, MonitMlMetrics::unaccounted)
            .description("Raw records read but neither decoded nor dead-lettered (records in minus decoded minus"
                + " dead-lettered at the decode stage): at most the records being decoded at the instant, 0 between records")
            .register(registry);
        this.featureSeriesRefused = Counter.builder("monitml.metrics.feature.series.refused")
            .description("Features of closed windows given no drift series because " + MAX_FEATURE_SERIES + " features already have"
                + " them (or their unit " + MAX_FEATURE_SERIES_PER_UNIT + "); the drift topic and the query API keep every feature")
            .register(registry);
        for (final String stage : PipelineListener.MERGING_STAGES) {
            final Map<String, Long> tasks = watermarks.computeIfAbsent(stage, s -> new ConcurrentHashMap<>());
            Gauge.builder("monitml.watermark.lag.seconds", tasks, this::watermarkLagSeconds)
                .description("How far this instance's merging stage is behind the clock in event time: the clock minus the oldest"
                    + " watermark of its tasks (windows close when the watermark passes their end plus grace); NaN with no task")
                .tag("aggregation", stage)
                .register(registry);
        }
        registerKnownCounters();
    }

    private double watermarkLagSeconds(final Map<String, Long> tasks) {
        final java.util.OptionalLong oldest = tasks.values().stream().mapToLong(Long::longValue).min();
        return oldest.isEmpty() ? Double.NaN : (clock.getAsLong() - oldest.getAsLong()) / 1000.0;
    }

    @Override
    public void watermark(final String stage, final String task, final long watermarkMs) {
        watermarks.computeIfAbsent(stage, s -> new ConcurrentHashMap<>()).put(task, watermarkMs);
    }

    @Override
    public void watermarkGone(final String stage, final String task) {
        final Map<String, Long> tasks = watermarks.get(stage);
        if (tasks != null) {
            tasks.remove(task);
        }
    }

    /** Exports the HTTP port's count of requests shed (answered 503 for a full pool or a wait past the read timeout). */
    public void watchShedRequests(final LongSupplier shed) {
        FunctionCounter.builder("monitml.http.requests.shed", shed, LongSupplier::getAsLong)
            .description("HTTP requests answered 503 because every worker was busy and the queue full, or that waited longer than the read timeout")
            .register(registry);
    }

    /** Exports the units this instance's merging tasks monitor, their fewest free places, and how many each may (--max-units). */
    public void watchUnits(final int maxUnitsPerTask) {
        for (final String stage : PipelineListener.MERGING_STAGES) {
            final Map<String, Integer> tasks = unitsByTask.computeIfAbsent(stage, s -> new ConcurrentHashMap<>());
            Gauge.builder("monitml.units.monitored", tasks, t -> t.values().stream().mapToInt(Integer::intValue).sum())
                .description("Units (namespace, deployment, variant, model) this instance's merging tasks monitor")
                .tag("aggregation", stage)
                .register(registry);
            Gauge.builder("monitml.units.free.places", tasks, t -> {
                    final java.util.OptionalInt fullest = t.values().stream().mapToInt(Integer::intValue).max();
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
    public void unitsMonitored(final String stage, final String task, final int count) {
        unitsByTask.computeIfAbsent(stage, s -> new ConcurrentHashMap<>()).put(task, count);
    }

    @Override
    public void unitsMonitoredGone(final String stage, final String task) {
        final Map<String, Integer> tasks = unitsByTask.get(stage);
        if (tasks != null) {
            tasks.remove(task);
        }
    }

    @Override
    public void refused(final String aggregation, final String namespace, final long records) {
        // Namespaces come from senders: the first ones get a series each, the rest share one.
        final String label = refusedNamespaces.size() < MAX_REFUSED_NAMESPACES || refusedNamespaces.contains(namespace)
            ? namespace : OTHER_NAMESPACES;
        if (!label.equals(OTHER_NAMESPACES)) {
            refusedNamespaces.add(namespace);
        }
        refusedCounter(aggregation, label).increment(records);
    }

    private Counter refusedCounter(final String aggregation, final String namespace) {
        return refused.computeIfAbsent(aggregation + "/" + namespace, key -> Counter.builder("monitml.records.refused")
            .description("Records of units that got no place among --max-units (new units beyond the limit, units without a"
                + " baseline beyond half of it or beyond --max-units-per-namespace), by aggregation and namespace (the first "
                + MAX_REFUSED_NAMESPACES + " namespaces, then " + OTHER_NAMESPACES + ")")
            .tag("aggregation", aggregation)
            .tag("namespace", namespace)
            .register(registry));
    }


    /**
     * The accounting invariant of the input: every raw record read ({@code monitml_records_in_total})
     * was either decoded ({@code monitml_records_decoded_total}) or dead-lettered at the decode stage.
     * One counter moved by all three, so that a scrape sees no tear between them: it is the records a
     * stream thread is decoding at that instant (at most one per thread), and anything that stays is a bug.
     */
    double unaccounted() {
        return unaccounted.get();
    }

    /**
     * Counters whose label values are known in advance start at zero, so that they are in every
     * scrape from the start and rate() and alert rules see the first increment (Prometheus's
     * advice on missing series).
     */
    private void registerKnownCounters() {
        for (final EventKind kind : EventKind.values()) {
            ingestEventCounter(kind, "accepted");
            ingestEventCounter(kind, "ignored");
        }
        for (final IngestListener.Reason reason : IngestListener.Reason.values()) {
            rejectedCounter(reason);
        }
        PipelineListener.AGGREGATIONS.forEach(this::lateCounter);
        // Exported at zero from the start, so that the rules see the metric; a refused namespace gets its own series.
        PipelineListener.AGGREGATIONS.forEach(aggregation -> refusedCounter(aggregation, OTHER_NAMESPACES));
        BaselineCheck.REASONS.forEach(this::baselineRejectedCounter);
        // Reasons come from the payloads' faults, too many to list; an internal error is the one to watch from the start.
        deadLetteredCounter(DeadLetterHandler.INTERNAL_ERROR, DeadLetterHandler.STAGE_DECODE);
        deadLetteredCounter(DeadLetterHandler.INTERNAL_ERROR, DeadLetterHandler.STAGE_PROCESS);
        PipelineListener.SIDES.forEach(side -> {
            unpairedCounter(side);
            duplicateCounter(side);
        });
    }

    @Override
    public void accepted(final String type) {
        ingestEvent(type, "accepted");
    }

    @Override
    public void ignored(final String type) {
        ingestEvent(type, "ignored");
    }

    /** Labelled by kind, not by the client's type string, so that clients cannot grow the label set. */
    private void ingestEvent(final String type, final String outcome) {
        ingestEventCounter(EventKind.fromCloudEventType(type), outcome).increment();
    }

    private Counter ingestEventCounter(final EventKind eventKind, final String outcome) {
        final String kind = eventKind.name().toLowerCase(java.util.Locale.ROOT);
        return ingestEvents.computeIfAbsent(outcome + '/' + kind, k -> Counter.builder("monitml.ingest.events")
            .description("CloudEvents received over HTTP: accepted (written to Kafka and acknowledged) or ignored (not an inference)")
            .tags("kind", kind, "outcome", outcome)
            .register(registry));
    }

    @Override
    public void rejected(final IngestListener.Reason reason) {
        rejectedCounter(reason).increment();
    }

    private Counter rejectedCounter(final IngestListener.Reason reason) {
        return ingestRejected.computeIfAbsent(reason, r -> Counter.builder("monitml.ingest.rejected")
            .description("HTTP ingest requests answered with an error, by reason")
            .tag("reason", r.tag())
            .register(registry));
    }

    @Override
    public void baselineRejected(final String key, final String reason) {
        baselineRejectedCounter(reason).increment();
    }

    private Counter baselineRejectedCounter(final String reason) {
        return baselinesRejected.computeIfAbsent(reason, r -> Counter.builder("monitml.baselines.rejected")
            .description("Baseline records that decoded but could not be used, by reason; the last good baseline stays in force")
            .tag("reason", r)
            .register(registry));
    }

    @Override
    public void late(final String stage, final long records) {
        lateCounter(stage).increment(records);
    }

    private Counter lateCounter(final String stage) {
        return late.computeIfAbsent(stage, s -> Counter.builder("monitml.records.late")
            .description("Records that arrived after their window had closed (end plus grace), by the aggregation that refused them")
            .tag("aggregation", s)
            .register(registry));
    }

    @Override
    public void paired() {
        paired.increment();
    }

    @Override
    public void unpaired(final String side) {
        unpairedCounter(side).increment();
    }

    private Counter unpairedCounter(final String side) {
        return unpaired.computeIfAbsent(side, s -> Counter.builder("monitml.pairing.unpaired")
            .description("Rows whose other half did not come within the pairing wait, by the side that came")
            .tag("side", s)
            .register(registry));
    }

    @Override
    public void duplicate(final String side) {
        duplicateCounter(side).increment();
    }

    private Counter duplicateCounter(final String side) {
        return duplicates.computeIfAbsent(side, s -> Counter.builder("monitml.duplicate.events")
            .description("Events sent again (same unit, side and request id: a retried request, a redelivery) and dropped, counted once")
            .tag("side", s)
            .register(registry));
    }

    @Override
    public void pairingPending(final String task, final long rows) {
        pendingByTask.put(task, rows);
    }

    @Override
    public void recordIn(final String topic) {
        unaccounted.incrementAndGet();
        recordsIn.computeIfAbsent(topic, t -> Counter.builder("monitml.records.in")
            .description("Raw records read from an input topic")
            .tag("topic", t)
            .register(registry)).increment();
    }

    @Override
    public void decoded(final String source, final String format, final EventKind kind, final int rows) {
        unaccounted.decrementAndGet();
        final String kindLabel = kind.name().toLowerCase(java.util.Locale.ROOT);
        final String key = source + '/' + format + '/' + kindLabel;
        decoded.computeIfAbsent(key, k -> Counter.builder("monitml.records.decoded")
            .description("Records decoded into inference events, by input topic, body format and kind (request, response, other)")
            .tags("topic", source, "format", format, "kind", kindLabel)
            .register(registry)).increment();
        if (rows > 0) {
            inferenceRows.computeIfAbsent(key, k -> Counter.builder("monitml.inference.rows")
                .description("Rows (instances) in decoded events, by input topic, body format and kind")
                .tags("topic", source, "format", format, "kind", kindLabel)
                .register(registry)).increment(rows);
        }
    }

    @Override
    public void recordDropped(final String topic, final String reason) {
        droppedCounter(topic, reason).increment();
    }

    /** Exports the result topics' dropped records at zero from the start (reason too-large), so that rules see the first. */
    public void watchResultTopics(final java.util.Collection<String> topics) {
        topics.forEach(topic -> droppedCounter(topic, DeadLetterHandler.TOO_LARGE));
    }

    private Counter droppedCounter(final String topic, final String reason) {
        return dropped.computeIfAbsent(topic + '/' + reason, k -> Counter.builder("monitml.records.dropped")
            .description("Records derived from the input (results, partials) that could not be written, by topic and reason"
                + " (too-large: more than the topic takes); the task went on without them")
            .tags("topic", topic, "reason", reason)
            .register(registry));
    }

    @Override
    public void deadLettered(final String reason, final String stage) {
        if (DeadLetterHandler.STAGE_DECODE.equals(stage)) {
            unaccounted.decrementAndGet();
        }
        deadLetteredCounter(reason, stage).increment();
    }

    private Counter deadLetteredCounter(final String reason, final String stage) {
        return deadLettered.computeIfAbsent(stage + '/' + reason, r -> Counter.builder("monitml.records.dead.lettered")
            .description("Records sent to the dead-letter topic, by reason and stage (decode, deserialize, process)")
            .tags("reason", reason, "stage", stage)
            .register(registry));
    }

    @Override
    public void featuresDropped(final io.monitml.ingest.Unit unit, final int columns) {
        series(unit.toAvro()).featuresDropped(this).increment(columns);
    }

    @Override
    public void predictionStatsClosed(final PredictionStats stats) {
        final UnitSeries unit = series(stats.getUnit());
        touch(unit);
        unit.stats(this).set(stats);
    }

    @Override
    public void driftReported(final DriftReport report) {
        final UnitSeries unit = series(report.getUnit());
        touch(unit);
        unit.drift(this).set(report);
        // Label cardinality stays bounded for wide models (images, embeddings): the drift topic has every feature.
        for (FeatureDrift feature : report.getFeatures()) {
            final AtomicReference<FeatureDrift> holder = unit.feature(this, feature.getName());
            if (holder != null) {
                holder.set(feature);
            }
        }
    }

    private UnitSeries series(final ModelUnit unit) {
        return units.computeIfAbsent(io.monitml.ingest.Unit.fromAvro(unit).key(), key -> new UnitSeries(unit));
    }

    private void touch(final UnitSeries unit) {
        final long now = clock.getAsLong();
        unit.lastSeen = now;
        lastWindowClosedMillis.set(now);
    }

    /**
     * Removes every series of the units that closed no window for {@code idle}: a model that stopped
     * sending disappears from the scrape instead of showing its last values forever. One pass over
     * the units, each removing its own meters.
     *
     * @return how many units were removed
     */
    public int expireIdleUnits(final java.time.Duration idle) {
        final long cutoff = clock.getAsLong() - idle.toMillis();
        int expired = 0;
        for (Map.Entry<String, UnitSeries> entry : units.entrySet()) {
            final UnitSeries unit = entry.getValue();
            if (unit.lastSeen < cutoff && units.remove(entry.getKey(), unit)) {
                unit.meters.forEach(registry::remove);
                featureSeries.addAndGet(-unit.features.size());
                expired++;
            }
        }
        return expired;
    }

    /** Whether one more feature may get drift series; counts the refusal when not. */
    private boolean admitFeatureSeries(final int ofUnit) {
        if (ofUnit >= MAX_FEATURE_SERIES_PER_UNIT || featureSeries.incrementAndGet() > MAX_FEATURE_SERIES) {
            if (ofUnit < MAX_FEATURE_SERIES_PER_UNIT) {
                featureSeries.decrementAndGet();
            }
            featureSeriesRefused.increment();
            return false;
        }
        return true;
    }

    /** One unit's meters, registered as its windows close, and removed together when it goes silent. */
    private static final class UnitSeries {
        private final ModelUnit unit;
        private final List<Meter> meters = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Map<String, AtomicReference<FeatureDrift>> features = new ConcurrentHashMap<>();
        private volatile long lastSeen;
        private volatile AtomicReference<PredictionStats> stats;
        private volatile AtomicReference<DriftReport> drift;
        private volatile Counter featuresDropped;

        UnitSeries(final ModelUnit unit) {
            this.unit = unit;
        }

        synchronized AtomicReference<PredictionStats> stats(final MonitMlMetrics metrics) {
            if (stats == null) {
                stats = metrics.register(unit, meters);
                meters.add(Gauge.builder("monitml.window.closed.seconds", this, series -> series.lastSeen / 1000.0)
                    .description("When the unit last closed a window (Unix time): it stalls when this stops advancing")
                    .tags(unitTags(unit)).strongReference(true).register(metrics.registry));
            }
            return stats;
        }

        synchronized AtomicReference<DriftReport> drift(final MonitMlMetrics metrics) {
            if (drift == null) {
                drift = metrics.registerDrift(unit, meters);
            }
            return drift;
        }

        /** The feature's holder, or null when no more feature series are allowed. */
        synchronized AtomicReference<FeatureDrift> feature(final MonitMlMetrics metrics, final String name) {
            final AtomicReference<FeatureDrift> known = features.get(name);
            if (known != null || !metrics.admitFeatureSeries(features.size())) {
                return known;
            }
            final AtomicReference<FeatureDrift> holder = metrics.registerFeature(unit, name, meters);
            features.put(name, holder);
            return holder;
        }

        synchronized Counter featuresDropped(final MonitMlMetrics metrics) {
            if (featuresDropped == null) {
                featuresDropped = Counter.builder("monitml.features.dropped")
                    .description("Request columns not monitored because the unit's window already kept --max-features features;"
                        + " the drift report names the first of them")
                    .tags(unitTags(unit)).register(metrics.registry);
                meters.add(featuresDropped);
            }
            return featuresDropped;
        }
    }

    private AtomicReference<DriftReport> registerDrift(final ModelUnit unit, final List<Meter> meters) {
        final AtomicReference<DriftReport> holder = new AtomicReference<>();
        meters.add(Gauge.builder("monitml.drift.detected", holder, h -> h.get() == null ? Double.NaN : h.get().getDriftDetected() ? 1 : 0)
            .description("1 when a feature of the unit drifted in its last closed window, else 0")
            .tags(unitTags(unit)).strongReference(true).register(registry));
        meters.add(Gauge.builder("monitml.drift.threshold", holder,
                h -> h.get() == null || h.get().getCorrectedThreshold() == null ? Double.NaN : h.get().getCorrectedThreshold())
            .description("The p-value threshold after the multiple-testing correction, in the unit's last closed window")
            .tags(unitTags(unit)).strongReference(true).register(registry));
        meters.add(Gauge.builder("monitml.features.dropped.last", holder, h -> h.get() == null ? Double.NaN : h.get().getDroppedFeatures())
            .description("Columns of the unit's requests left out of its last closed window (--max-features): the most of any one event")
            .tags(unitTags(unit)).strongReference(true).register(registry));
        return holder;
    }

    private AtomicReference<FeatureDrift> registerFeature(final ModelUnit unit, final String feature, final List<Meter> meters) {
        final AtomicReference<FeatureDrift> holder = new AtomicReference<>();
        final Tags tags = unitTags(unit).and("feature", feature);
        featureGauge(meters, "monitml.feature.psi", "PSI of the feature against its baseline in the last closed window", holder, tags,
            FeatureDrift::getPsi);
        featureGauge(meters, "monitml.feature.statistic", "KS D (numeric) or chi-square statistic (categorical) in the last closed window",
            holder, tags, FeatureDrift::getStatistic);
        featureGauge(meters, "monitml.feature.p.value", "p-value of the feature's drift test in the last closed window, before correction",
            holder, tags, FeatureDrift::getPValue);
        featureGauge(meters, "monitml.feature.drifted", "1 when the feature drifted in the last closed window", holder, tags,
            f -> f.getDrifted() ? 1.0 : 0.0);
        return holder;
    }

    private void featureGauge(final List<Meter> meters, final String name, final String description,
                              final AtomicReference<FeatureDrift> holder, final Tags tags,
                              final java.util.function.Function<FeatureDrift, Double> value) {
        meters.add(Gauge.builder(name, holder, h -> {
                final FeatureDrift drift = h.get();
                final Double number = drift == null ? null : value.apply(drift);
                return number == null ? Double.NaN : number;
            })
            .description(description).tags(tags).strongReference(true).register(registry));
    }

    private static Tags unitTags(final ModelUnit unit) {
        return Tags.of("namespace", unit.getNamespace(), "deployment", unit.getDeployment(),
            "variant", unit.getVariant(), "model", unit.getModel());
    }

    private AtomicReference<PredictionStats> register(final ModelUnit unit, final List<Meter> meters) {
        final AtomicReference<PredictionStats> holder = new AtomicReference<>();
        final Tags tags = unitTags(unit);
        gauge(meters, "monitml.prediction.mean", "Mean prediction in the unit's last closed window", holder, tags,
            s -> orNaN(s.getMean()));
        gauge(meters, "monitml.prediction.min", "Smallest prediction in the unit's last closed window", holder, tags,
            s -> orNaN(s.getMin()));
        gauge(meters, "monitml.prediction.max", "Largest prediction in the unit's last closed window", holder, tags,
            s -> orNaN(s.getMax()));
        gauge(meters, "monitml.prediction.p50", "Median prediction in the unit's last closed window", holder, tags, s -> orNaN(s.getP50()));
        gauge(meters, "monitml.prediction.p90", "90th percentile of the predictions in the unit's last closed window", holder, tags,
            s -> orNaN(s.getP90()));
        gauge(meters, "monitml.prediction.p99", "99th percentile of the predictions in the unit's last closed window", holder, tags,
            s -> orNaN(s.getP99()));
        gauge(meters, "monitml.latency.p50.seconds", "Median latency of the inferences paired in the unit's last closed window", holder, tags,
            s -> seconds(s.getLatencyP50Millis()));
        gauge(meters, "monitml.latency.p90.seconds", "90th percentile latency of the inferences paired in the unit's last closed window", holder,
            tags, s -> seconds(s.getLatencyP90Millis()));
        gauge(meters, "monitml.latency.p99.seconds", "99th percentile latency of the inferences paired in the unit's last closed window", holder,
            tags, s -> seconds(s.getLatencyP99Millis()));
        gauge(meters, "monitml.prediction.drift.psi", "PSI of the predictions against the baseline's prediction column", holder, tags,
            s -> s.getDrift() == null || s.getDrift().getPsi() == null ? Double.NaN : s.getDrift().getPsi());
        gauge(meters, "monitml.prediction.drifted", "1 when the predictions drifted from the baseline's prediction column", holder, tags,
            s -> s.getDrift() == null ? Double.NaN : s.getDrift().getDrifted() ? 1 : 0);
        gauge(meters, "monitml.window.predictions.per.second", "Predictions per second over the unit's last closed window", holder, tags,
            s -> s.getCount() / Math.max(0.001, (s.getWindowEnd().toEpochMilli() - s.getWindowStart().toEpochMilli()) / 1000.0));
        gauge(meters, "monitml.window.predictions", "Predictions (rows) in the unit's last closed window", holder, tags,
            s -> s.getCount());
        gauge(meters, "monitml.window.responses", "Response events in the unit's last closed window", holder, tags,
            s -> s.getResponses());
        gauge(meters, "monitml.window.errors", "Failed responses in the unit's last closed window", holder, tags,
            s -> s.getErrorCount());
        gauge(meters, "monitml.window.end.seconds", "End of the unit's last closed window (Unix time)", holder, tags,
            s -> epochSeconds(s.getWindowEnd()));
        return holder;
    }

    private void gauge(final List<Meter> meters, final String name, final String description,
                       final AtomicReference<PredictionStats> holder, final Tags tags, final ToDoubleFunction<PredictionStats> value) {
        meters.add(Gauge.builder(name, holder, h -> {
                final PredictionStats stats = h.get();
                return stats == null ? Double.NaN : value.applyAsDouble(stats);
            })
            .description(description)
            .tags(tags)
            .strongReference(true)
            .register(registry));
    }

    private static double seconds(final Double millis) {
        return millis == null ? Double.NaN : millis / 1000.0;
    }

    private static double orNaN(final Double value) {
        return value == null ? Double.NaN : value;
    }

    private static double epochSeconds(final Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }
}
