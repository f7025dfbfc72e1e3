package io.monitml.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.monitml.http.IngestListener;
import io.monitml.topology.CompositeListener;
import io.monitml.topology.PipelineListener;

/**
 * MonitML's own Prometheus metrics: the pipeline's counters and gauges ({@link PipelineMetrics}),
 * the HTTP port's ({@link IngestMetrics}), and per unit the results of its last closed window
 * ({@link UnitMetrics}).
 */
public final class MonitMlMetrics {

    /** At most this many features per unit get drift series; the drift reports on Kafka keep them all. */
    public static final int MAX_FEATURE_SERIES_PER_UNIT = 100;
    /**
     * At most this many features over all units get drift series (five each), so that the scrape stays
     * bounded: units are bounded by --max-units, their own series by this class, features by this.
     */
    public static final int MAX_FEATURE_SERIES = 2_500;

    private final PipelineMetrics pipeline;
    private final UnitMetrics units;
    private final IngestMetrics ingest;
    private final PipelineListener listener;

    public MonitMlMetrics(final MeterRegistry registry) {
        this(registry, System::currentTimeMillis);
    }

    /** @param clock wall-clock milliseconds, for the time of the last closed window, watermark lags and series expiry */
    public MonitMlMetrics(final MeterRegistry registry, final LongSupplier clock) {
        this.pipeline = new PipelineMetrics(registry, clock);
        this.units = new UnitMetrics(registry, clock);
        this.ingest = new IngestMetrics(registry);
        this.listener = CompositeListener.of(pipeline, units);
    }

    /** What the pipeline reports, counted and exported. */
    public PipelineListener pipeline() {
        return listener;
    }

    /** What the HTTP port reports, counted and exported. */
    public IngestListener ingest() {
        return ingest;
    }

    /** Exports the units this instance's merging tasks monitor, their fewest free places, and how many each may (--max-units). */
    public void watchUnits(final int maxUnitsPerTask) {
        pipeline.watchUnits(maxUnitsPerTask);
    }

    /** Exports realized performance per unit for windows with at least {@code minLabels} labels ({@code --min-labels}). */
    public void watchPerformance(final long minLabels) {
        units.minLabels(minLabels);
    }

    /** Exports the result topics' dropped records at zero from the start (reason too-large), so that rules see the first. */
    public void watchResultTopics(final Collection<String> topics) {
        pipeline.watchResultTopics(topics);
    }

    /** Exports the HTTP port's count of requests shed (answered 503 for a full pool or a wait past the read timeout). */
    public void watchShedRequests(final LongSupplier shed) {
        ingest.watchShedRequests(shed);
    }

    /**
     * Removes every series of the units that closed no window for {@code idle}.
     *
     * @return how many units were removed
     */
    public int expireIdleUnits(final Duration idle) {
        return units.expireIdleUnits(idle);
    }
}
