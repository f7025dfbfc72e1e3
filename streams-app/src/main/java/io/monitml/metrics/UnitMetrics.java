package io.monitml.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.monitml.avro.DriftReport;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.PerformanceReport;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.Unit;
import io.monitml.topology.PipelineListener;

/**
 * Per unit, the results of its last closed window as gauges labelled namespace, deployment,
 * variant and model (and feature, for drift): registered when the unit's first window closes, and
 * removed together when it has closed none for the series expiry, so that a model that stopped
 * sending leaves the scrape instead of showing its last values forever.
 */
final class UnitMetrics implements PipelineListener {

    private final MeterRegistry registry;
    private final LongSupplier clock;
    /** Every unit's series, so that a unit's expiry removes exactly its own meters. */
    private final Map<String, UnitSeries> units = new ConcurrentHashMap<>();
    private final AtomicInteger featureSeries = new AtomicInteger();
    private final Counter featureSeriesRefused;
    private final AtomicLong lastWindowClosedMillis = new AtomicLong();
    private volatile long minLabels = io.monitml.config.Defaults.MIN_LABELS;

    /** @param clock wall-clock milliseconds, for the time of the last closed window and the expiry */
    UnitMetrics(final MeterRegistry registry, final LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("monitml.last.window.closed.seconds", lastWindowClosedMillis, t -> t.get() == 0 ? Double.NaN : t.get() / 1000.0)
            .description("When the pipeline last closed a window (Unix time); it stalls when this stops advancing")
            .register(registry);
        featureSeriesRefused = new CounterFamily(registry, "monitml.metrics.feature.series.refused", "Features of closed windows given no"
            + " drift series because " + MonitMlMetrics.MAX_FEATURE_SERIES + " features already have them (or their unit "
            + MonitMlMetrics.MAX_FEATURE_SERIES_PER_UNIT + "); the drift topic and the query API keep every feature").with();
    }

    @Override
    public void featuresDropped(final Unit unit, final int columns) {
        series(unit).featuresDropped().increment(columns);
    }

    @Override
    public void predictionStatsClosed(final PredictionStats stats) {
        final UnitSeries unit = touch(Unit.fromAvro(stats.getUnit()));
        unit.stats().set(stats);
    }

    @Override
    public void driftReported(final DriftReport report) {
        final UnitSeries unit = touch(Unit.fromAvro(report.getUnit()));
        unit.drift().set(report);
        // Label cardinality stays bounded for wide models (images, embeddings): the drift topic has every feature.
        for (final FeatureDrift feature : report.getFeatures()) {
            final AtomicReference<FeatureDrift> holder = unit.feature(feature.getName());
            if (holder != null) {
                holder.set(feature);
            }
        }
    }

    /** The labels a window needs before its realized performance is exported ({@code --min-labels}). */
    void minLabels(final long labels) {
        this.minLabels = labels;
    }

    /**
     * Exports the realized performance of the unit's latest window with at least {@link #minLabels}
     * labels: an update of an older window (a late label) leaves a newer one's figures in place.
     */
    @Override
    public void performanceReported(final PerformanceReport report) {
        if (report.getLabelled() < minLabels) {
            return;
        }
        final UnitSeries unit = series(Unit.fromAvro(report.getUnit()));
        unit.lastSeen = clock.getAsLong();
        unit.performance().accumulateAndGet(report, (held, update) -> held == null
            || !update.getWindowStart().isBefore(held.getWindowStart()) ? update : held);
    }

    /**
     * Removes every series of the units that closed no window for {@code idle}. One pass over the
     * units, each removing its own meters.
     *
     * @return how many units were removed
     */
    int expireIdleUnits(final Duration idle) {
        final long cutoff = clock.getAsLong() - idle.toMillis();
        int expired = 0;
        for (final Map.Entry<String, UnitSeries> entry : units.entrySet()) {
            final UnitSeries unit = entry.getValue();
            if (unit.lastSeen < cutoff && units.remove(entry.getKey(), unit)) {
                unit.meters.forEach(registry::remove);
                featureSeries.addAndGet(-unit.features.size());
                expired++;
            }
        }
        return expired;
    }

    private UnitSeries series(final Unit unit) {
        return units.computeIfAbsent(unit.key(), key -> new UnitSeries(unit));
    }

    private UnitSeries touch(final Unit unit) {
        final UnitSeries series = series(unit);
        final long now = clock.getAsLong();
        series.lastSeen = now;
        lastWindowClosedMillis.set(now);
        return series;
    }

    /** Whether one more feature may get drift series; counts the refusal when not. */
    private boolean admitFeatureSeries(final int ofUnit) {
        if (ofUnit >= MonitMlMetrics.MAX_FEATURE_SERIES_PER_UNIT || featureSeries.incrementAndGet() > MonitMlMetrics.MAX_FEATURE_SERIES) {
            if (ofUnit < MonitMlMetrics.MAX_FEATURE_SERIES_PER_UNIT) {
                featureSeries.decrementAndGet();
            }
            featureSeriesRefused.increment();
            return false;
        }
        return true;
    }

    /** One unit's meters, registered as its windows close, and removed together when it goes silent. */
    private final class UnitSeries {
        private final Tags tags;
        private final List<Meter> meters = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicReference<FeatureDrift>> features = new ConcurrentHashMap<>();
        private volatile long lastSeen;
        private AtomicReference<PredictionStats> stats;
        private AtomicReference<DriftReport> drift;
        private AtomicReference<PerformanceReport> performance;
        private Counter featuresDropped;

        UnitSeries(final Unit unit) {
            this.tags = Tags.of("namespace", unit.namespace(), "deployment", unit.deployment(), "variant", unit.variant(),
                "model", unit.model());
        }

        synchronized AtomicReference<PredictionStats> stats() {
            if (stats == null) {
                stats = new AtomicReference<>();
                predictionGauges(stats);
                meters.add(Gauge.builder("monitml.window.closed.seconds", this, series -> series.lastSeen / 1000.0)
                    .description("When the unit last closed a window (Unix time): it stalls when this stops advancing")
                    .tags(tags).strongReference(true).register(registry));
            }
            return stats;
        }

        synchronized AtomicReference<DriftReport> drift() {
            if (drift == null) {
                drift = new AtomicReference<>();
                gauge("monitml.drift.detected", "1 when a feature of the unit drifted in its last closed window, else 0", drift, tags,
                    report -> report.getDriftDetected() ? 1 : 0);
                gauge("monitml.drift.threshold", "The p-value threshold after the multiple-testing correction, in the unit's last closed"
                    + " window", drift, tags, report -> orNaN(report.getCorrectedThreshold()));
                gauge("monitml.features.dropped.last", "Columns of the unit's requests left out of its last closed window"
                    + " (--max-features): the most of any one event", drift, tags, DriftReport::getDroppedFeatures);
            }
            return drift;
        }

        synchronized AtomicReference<PerformanceReport> performance() {
            if (performance == null) {
                performance = new AtomicReference<>();
                final String of = " of the unit's predictions in its latest window with at least --min-labels labels";
                gauge("monitml.realized.mae", "Mean absolute error" + of, performance, tags, r -> orNaN(r.getMae()));
                gauge("monitml.realized.mae.standard.error", "Standard error of the MAE" + of, performance, tags,
                    r -> orNaN(r.getMaeStandardError()));
                gauge("monitml.realized.rmse", "Root mean squared error" + of, performance, tags, r -> orNaN(r.getRmse()));
                gauge("monitml.realized.bias", "Mean of prediction minus truth" + of, performance, tags, r -> orNaN(r.getBias()));
                gauge("monitml.realized.mape", "Mean absolute percentage error (a fraction, zero truths left out)" + of, performance, tags,
                    r -> orNaN(r.getMape()));
                gauge("monitml.realized.r2", "Coefficient of determination" + of, performance, tags, r -> orNaN(r.getR2()));
                gauge("monitml.labelled.predictions", "Predictions judged by a label in the unit's latest window with at least"
                    + " --min-labels labels", performance, tags, PerformanceReport::getLabelled);
                gauge("monitml.label.coverage", "Labelled over predicted" + of, performance, tags, r -> orNaN(r.getCoverage()));
                gauge("monitml.label.lag.p50.seconds", "Median of label time minus prediction time" + of, performance, tags,
                    r -> seconds(r.getLabelLagP50Millis()));
                gauge("monitml.label.lag.p99.seconds", "99th percentile of label time minus prediction time" + of, performance, tags,
                    r -> seconds(r.getLabelLagP99Millis()));
                gauge("monitml.realized.window.start.seconds", "Start of the unit's latest window with at least --min-labels labels"
                    + " (Unix time)", performance, tags, r -> r.getWindowStart().toEpochMilli() / 1000.0);
            }
            return performance;
        }

        /** The feature's holder, or null when no more feature series are allowed. */
        synchronized AtomicReference<FeatureDrift> feature(final String name) {
            final AtomicReference<FeatureDrift> known = features.get(name);
            if (known != null || !admitFeatureSeries(features.size())) {
                return known;
            }
            final AtomicReference<FeatureDrift> holder = new AtomicReference<>();
            final Tags featureTags = tags.and("feature", name);
            gauge("monitml.feature.psi", "PSI of the feature against its baseline in the last closed window", holder, featureTags,
                feature -> orNaN(feature.getPsi()));
            gauge("monitml.feature.statistic", "KS D (numeric) or chi-square statistic (categorical) in the last closed window", holder,
                featureTags, feature -> orNaN(feature.getStatistic()));
            gauge("monitml.feature.p.value", "p-value of the feature's drift test in the last closed window, before correction", holder,
                featureTags, feature -> orNaN(feature.getPValue()));
            gauge("monitml.feature.drifted", "1 when the feature drifted in the last closed window", holder, featureTags,
                feature -> feature.getDrifted() ? 1.0 : 0.0);
            gauge("monitml.feature.watched", "1 when the feature did not drift in the last closed window but its PSI reached the watch"
                + " level (--psi-watch)", holder, featureTags, feature -> feature.getWatched() ? 1.0 : 0.0);
            features.put(name, holder);
            return holder;
        }

        synchronized Counter featuresDropped() {
            if (featuresDropped == null) {
                featuresDropped = Counter.builder("monitml.features.dropped")
                    .description("Request columns not monitored because the unit's window already kept --max-features features;"
                        + " the drift report names the first of them")
                    .tags(tags).register(registry);
                meters.add(featuresDropped);
            }
            return featuresDropped;
        }

        private void predictionGauges(final AtomicReference<PredictionStats> holder) {
            gauge("monitml.prediction.mean", "Mean prediction in the unit's last closed window", holder, tags, s -> orNaN(s.getMean()));
            gauge("monitml.prediction.min", "Smallest prediction in the unit's last closed window", holder, tags, s -> orNaN(s.getMin()));
            gauge("monitml.prediction.max", "Largest prediction in the unit's last closed window", holder, tags, s -> orNaN(s.getMax()));
            gauge("monitml.prediction.p50", "Median prediction in the unit's last closed window", holder, tags, s -> orNaN(s.getP50()));
            gauge("monitml.prediction.p90", "90th percentile of the predictions in the unit's last closed window", holder, tags,
                s -> orNaN(s.getP90()));
            gauge("monitml.prediction.p99", "99th percentile of the predictions in the unit's last closed window", holder, tags,
                s -> orNaN(s.getP99()));
            gauge("monitml.latency.p50.seconds", "Median latency of the inferences paired in the unit's last closed window", holder, tags,
                s -> seconds(s.getLatencyP50Millis()));
            gauge("monitml.latency.p90.seconds", "90th percentile latency of the inferences paired in the unit's last closed window", holder,
                tags, s -> seconds(s.getLatencyP90Millis()));
            gauge("monitml.latency.p99.seconds", "99th percentile latency of the inferences paired in the unit's last closed window", holder,
                tags, s -> seconds(s.getLatencyP99Millis()));
            gauge("monitml.prediction.drift.psi", "PSI of the predictions against the baseline's prediction column", holder, tags,
                s -> s.getDrift() == null ? Double.NaN : orNaN(s.getDrift().getPsi()));
            gauge("monitml.prediction.drifted", "1 when the predictions drifted from the baseline's prediction column", holder, tags,
                s -> s.getDrift() == null ? Double.NaN : s.getDrift().getDrifted() ? 1 : 0);
            gauge("monitml.window.predictions.per.second", "Predictions per second over the unit's last closed window", holder, tags,
                s -> s.getCount() / Math.max(0.001, (s.getWindowEnd().toEpochMilli() - s.getWindowStart().toEpochMilli()) / 1000.0));
            gauge("monitml.window.predictions", "Predictions (rows) in the unit's last closed window", holder, tags, s -> s.getCount());
            gauge("monitml.window.responses", "Response events in the unit's last closed window", holder, tags, s -> s.getResponses());
            gauge("monitml.window.errors", "Failed responses in the unit's last closed window", holder, tags, s -> s.getErrorCount());
            gauge("monitml.window.end.seconds", "End of the unit's last closed window (Unix time)", holder, tags,
                s -> s.getWindowEnd().toEpochMilli() / 1000.0);
        }

        /** A gauge of the value the holder holds now: NaN before it holds one. */
        private <T> void gauge(final String name, final String description, final AtomicReference<T> holder, final Tags gaugeTags,
                               final ToDoubleFunction<T> value) {
            meters.add(Gauge.builder(name, holder, h -> {
                    final T held = h.get();
                    return held == null ? Double.NaN : value.applyAsDouble(held);
                })
                .description(description).tags(gaugeTags).strongReference(true).register(registry));
        }
    }

    private static double seconds(final Double millis) {
        return millis == null ? Double.NaN : millis / 1000.0;
    }

    private static double orNaN(final Double value) {
        return value == null ? Double.NaN : value;
    }
}
