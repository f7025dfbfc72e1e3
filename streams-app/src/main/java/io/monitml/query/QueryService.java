package io.monitml.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.monitml.avro.DriftReport;
import io.monitml.avro.PerformanceReport;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.Unit;
import io.monitml.topology.Names;

/**
 * The questions the query API asks of the application's state, each answered from the stores the
 * topology fills ({@link Names}) with an {@link Outcome}: this instance's answer, the instance that
 * owns the unit, nothing of it, or not now. It reads results and computes nothing the topology
 * computes; it never asks another instance (the routes forward, with {@link Instances}).
 */
final class QueryService {

    /** Live windows of a unit: more than a few only when the watermark stalls. */
    static final int MAX_LIVE_WINDOWS = 10;
    private static final String NOT_QUERYABLE = "The stores are moving between instances or restoring; ask again shortly";

    private final Placement placement;

    QueryService(final Placement placement) {
        this.placement = placement;
    }

    HostInfo self() {
        return placement.self();
    }

    /** Every instance of the application, this one first when the metadata does not know it yet. */
    Outcome<List<HostInfo>> instances() {
        return guarded(() -> new Outcome.Local<>(placement.all()));
    }

    /** The unit's closed windows' statistics whose start is in the range, oldest first. */
    Outcome<List<PredictionStats>> closedStats(final Unit unit, final TimeRange range) {
        return predictions(unit, () -> {
            final ReadOnlyWindowStore<String, PredictionStats> windows =
                placement.store(Names.CLOSED_PREDICTION_STATS_STORE, QueryableStoreTypes.windowStore());
            return new Outcome.Local<>(fetch(windows, unit, range));
        });
    }

    /** The unit's latest closed window's statistics. */
    Outcome<PredictionStats> latestStats(final Unit unit) {
        return predictions(unit, () -> {
            final PredictionStats last = latestPredictionStats(unit);
            return last == null
                ? new Outcome.NotFound<>("Unit " + unit + " has closed no window yet; see " + QueryApi.PREFIX + "/units/" + unit.key()
                    + "/stats/live")
                : new Outcome.Local<>(last);
        });
    }

    /** The statistics of the unit's windows still open, newest first. */
    Outcome<List<PredictionStats>> liveStats(final Unit unit) {
        return predictions(unit, () -> new Outcome.Local<>(live(unit)));
    }

    /** The unit's drift reports whose window start is in the range, oldest first. */
    Outcome<List<DriftReport>> driftReports(final Unit unit, final TimeRange range) {
        return drift(unit, () -> {
            final ReadOnlyWindowStore<String, DriftReport> reports = placement.store(Names.DRIFT_REPORTS_STORE, QueryableStoreTypes.windowStore());
            return new Outcome.Local<>(fetch(reports, unit, range));
        });
    }

    /** The unit's latest drift report. */
    Outcome<DriftReport> latestDrift(final Unit unit) {
        return drift(unit, () -> new Outcome.Local<>(latestDriftReport(unit)));
    }

    /** The unit's realized performance of the windows whose start is in the range, oldest first. */
    Outcome<List<PerformanceReport>> performance(final Unit unit, final TimeRange range) {
        return performance(unit, () -> {
            final ReadOnlyWindowStore<String, PerformanceReport> reports =
                placement.store(Names.PERFORMANCE_REPORTS_STORE, QueryableStoreTypes.windowStore());
            return new Outcome.Local<>(fetch(reports, unit, range));
        });
    }

    /** The unit's newest window with at least {@code minLabels} labels. */
    Outcome<PerformanceReport> latestPerformance(final Unit unit, final long minLabels) {
        return performance(unit, () -> {
            try (WindowStoreIterator<PerformanceReport> found = performanceReports(unit)) {
                while (found.hasNext()) {
                    final PerformanceReport report = found.next().value;
                    if (report.getLabelled() >= minLabels) {
                        return new Outcome.Local<>(report);
                    }
                }
            }
            return new Outcome.NotFound<>("No window of unit " + unit + " has " + minLabels + " labels (--min-labels) yet; see "
                + QueryApi.PREFIX + "/units/" + unit.key() + "/performance");
        });
    }

    /** A question about the unit's realized performance, answered by the owner of its reports: unknown if it has none. */
    private <T> Outcome<T> performance(final Unit unit, final Supplier<Outcome<T>> local) {
        return owned(Names.PERFORMANCE_REPORTS_STORE, unit, () -> {
            try (WindowStoreIterator<PerformanceReport> any = performanceReports(unit)) {
                if (!any.hasNext()) {
                    return new Outcome.NotFound<>("No realized performance for unit " + unit + ": unknown, or none of its predictions was"
                        + " kept for a label yet (--labels)");
                }
            }
            return local.get();
        });
    }

    private WindowStoreIterator<PerformanceReport> performanceReports(final Unit unit) {
        return placement.store(Names.PERFORMANCE_REPORTS_STORE, QueryableStoreTypes.<String, PerformanceReport>windowStore())
            .backwardFetch(unit.key(), Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2));
    }

    /** A unit as this instance's stores know it: its latest closed window's statistics, its latest drift report (either null). */
    record UnitState(String key, PredictionStats lastWindow, DriftReport drift) {
    }

    /**
     * This instance's units after the page's key that pass the filter, ordered by key, at most one
     * more than the page holds (so that the caller knows whether there are more).
     */
    Outcome<List<UnitState>> localUnits(final Page page, final UnitFilter filter) {
        return guarded(() -> {
            final int wanted = page.limit() + 1;
            final Map<String, PredictionStats> stats = new TreeMap<>();
            final Map<String, DriftReport> drifts = new TreeMap<>();
            // The stores are ordered by key: each is read from the page's start until it gave enough units.
            take(placement.store(Names.LATEST_PREDICTION_STATS_STORE, QueryableStoreTypes.keyValueStore()), page, filter, wanted, stats);
            take(placement.store(Names.LATEST_DRIFT_STORE, QueryableStoreTypes.keyValueStore()), page, filter, wanted, drifts);
            final TreeMap<String, UnitState> units = new TreeMap<>();
            stats.forEach((key, value) -> units.put(key, new UnitState(key, value, drifts.get(key))));
            drifts.forEach((key, value) -> units.putIfAbsent(key, new UnitState(key, null, value)));
            return new Outcome.Local<>(units.values().stream().limit(wanted).toList());
        });
    }

    private static <V> void take(final ReadOnlyKeyValueStore<String, V> store, final Page page, final UnitFilter filter, final int wanted,
                                 final Map<String, V> into) {
        try (KeyValueIterator<String, V> found = page.after() == null ? store.all() : store.range(page.after(), null)) {
            while (into.size() < wanted && found.hasNext()) {
                final KeyValue<String, V> entry = found.next();
                if (page.admits(entry.key) && filter.matches(Unit.fromKey(entry.key))) {
                    into.put(entry.key, entry.value);
                }
            }
        }
    }

    /** A question about the unit's predictions, answered by the owner of its latest statistics: unknown if it has no window at all. */
    private <T> Outcome<T> predictions(final Unit unit, final Supplier<Outcome<T>> local) {
        return owned(Names.LATEST_PREDICTION_STATS_STORE, unit, () -> {
            if (latestPredictionStats(unit) == null && live(unit).isEmpty()) {
                return new Outcome.NotFound<>("No prediction statistics for unit " + unit + ": unknown, or it has sent no response yet");
            }
            return local.get();
        });
    }

    /** A question about the unit's drift, answered by the owner of its latest report: unknown if it has none. */
    private <T> Outcome<T> drift(final Unit unit, final Supplier<Outcome<T>> local) {
        return owned(Names.LATEST_DRIFT_STORE, unit, () -> latestDriftReport(unit) == null
            ? new Outcome.NotFound<>("No drift report for unit " + unit + ": unknown, or no window of its requests has closed yet")
            : local.get());
    }

    private <T> Outcome<T> owned(final String store, final Unit unit, final Supplier<Outcome<T>> local) {
        return guarded(() -> {
            final HostInfo owner = placement.owner(store, unit.key());
            return owner.equals(placement.self()) ? local.get() : new Outcome.Remote<>(owner);
        });
    }

    private static <T> Outcome<T> guarded(final Supplier<Outcome<T>> question) {
        try {
            return question.get();
        } catch (StateNotReady e) {
            return new Outcome.NotReady<>(e.getMessage());
        } catch (InvalidStateStoreException e) {
            // A store can stop being queryable between opening it and reading it (a rebalance began).
            return new Outcome.NotReady<>(NOT_QUERYABLE);
        }
    }

    private PredictionStats latestPredictionStats(final Unit unit) {
        return placement.store(Names.LATEST_PREDICTION_STATS_STORE, QueryableStoreTypes.<String, PredictionStats>keyValueStore()).get(unit.key());
    }

    private DriftReport latestDriftReport(final Unit unit) {
        return placement.store(Names.LATEST_DRIFT_STORE, QueryableStoreTypes.<String, DriftReport>keyValueStore()).get(unit.key());
    }

    private List<PredictionStats> live(final Unit unit) {
        final ReadOnlyWindowStore<String, PredictionStats> open =
            placement.store(Names.LIVE_PREDICTION_STATS_STORE, QueryableStoreTypes.windowStore());
        final List<PredictionStats> live = new ArrayList<>();
        try (WindowStoreIterator<PredictionStats> found = open.backwardFetch(unit.key(), Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            while (found.hasNext() && live.size() < MAX_LIVE_WINDOWS) {
                live.add(found.next().value);
            }
        }
        return live;
    }

    private static <V> List<V> fetch(final ReadOnlyWindowStore<String, V> store, final Unit unit, final TimeRange range) {
        final List<V> found = new ArrayList<>();
        try (WindowStoreIterator<V> windows = store.fetch(unit.key(), range.from(), range.to())) {
            windows.forEachRemaining(entry -> found.add(entry.value));
        }
        return found;
    }
}
