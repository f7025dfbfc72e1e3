package io.monitml.topology;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.monitml.aggregate.FeatureBudget;
import io.monitml.aggregate.FeatureWindow;
import io.monitml.avro.DriftReport;
import io.monitml.avro.FeatureBaseline;
import io.monitml.avro.FeatureDrift;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.FeaturePartial;
import io.monitml.avro.FeatureSummary;
import io.monitml.avro.TrainingBaseline;
import io.monitml.drift.DriftCalculator;
import io.monitml.drift.DriftVerdict;
import io.monitml.drift.ExpectedBaseline;
import io.monitml.drift.ExpectedFeature;
import io.monitml.drift.FeatureComparison;
import io.monitml.drift.WindowFeature;
import io.monitml.ingest.Limits;
import io.monitml.ingest.Unit;
import io.monitml.stats.Sketches;
import org.apache.datasketches.kll.KllSketch;

/**
 * Drift's plain values to and from the topics' Avro records: a window's features as the partial
 * that crosses the repartition, the baseline as drift reads it, and the verdict as the report.
 */
public final class DriftRecords {

    private DriftRecords() {
    }

    public static FeaturePartial toAvro(final FeatureWindow window) {
        final List<FeatureSummary> summaries = new ArrayList<>();
        for (WindowFeature feature : window.features()) {
            summaries.add(FeatureSummary.newBuilder()
                .setName(feature.name())
                .setCount(feature.count())
                .setMissing(feature.missing())
                .setSketch(feature.sketch() == null ? null : ByteBuffer.wrap(feature.sketch().toByteArray()))
                .setCategories(new HashMap<>(feature.categories()))
                .setOtherCategories(feature.otherCategories())
                .build());
        }
        return FeaturePartial.newBuilder()
            .setUnit(window.unit().toAvro())
            .setWindowStart(Instant.ofEpochMilli(window.windowStart()))
            .setLastEventTime(Instant.ofEpochMilli(window.lastEventTime()))
            .setRows(window.rows())
            .setFeatures(summaries)
            .setDroppedFeatures(window.droppedFeatures())
            .setDroppedFeatureNames(window.droppedNames())
            .build();
    }

    /** A window of the partial's unit and time holding what it holds, within the budget's limits. */
    public static FeatureWindow toWindow(final FeaturePartial partial, final FeatureBudget budget) {
        final FeatureWindow window = new FeatureWindow(Unit.fromAvro(partial.getUnit()), partial.getWindowStart().toEpochMilli(), budget);
        merge(window, partial);
        return window;
    }

    /** Adds the partial to a window of the same unit and time. */
    public static void merge(final FeatureWindow window, final FeaturePartial partial) {
        window.merge(partial.getRows(), partial.getLastEventTime().toEpochMilli(), partial.getDroppedFeatures(),
            partial.getDroppedFeatureNames(), List.copyOf(features(partial).values()));
    }

    /** What the partial holds of each feature, by name, in its order. */
    public static Map<String, WindowFeature> features(final FeaturePartial partial) {
        final Map<String, WindowFeature> features = new LinkedHashMap<>();
        for (FeatureSummary summary : partial.getFeatures()) {
            features.put(summary.getName(), new WindowFeature(summary.getName(), summary.getMissing(),
                summary.getSketch() == null ? null : Sketches.heapify(summary.getSketch()), summary.getCategories(),
                summary.getOtherCategories()));
        }
        return features;
    }

    /** The baseline as drift reads it; null for null. */
    public static ExpectedBaseline expected(final TrainingBaseline baseline) {
        if (baseline == null) {
            return null;
        }
        return new ExpectedBaseline(baseline.getModelVersion(), baseline.getRowCount(),
            baseline.getFeatures().stream().map(DriftRecords::expected).toList(),
            baseline.getTarget() == null ? null : expected(baseline.getTarget()));
    }

    public static ExpectedFeature expected(final FeatureBaseline feature) {
        return new ExpectedFeature(feature.getName(), feature.getKind() == FeatureKind.CATEGORICAL, feature.getMissingCount(),
            feature.getSketch(), feature.getBinEdges(), feature.getBinProportions(), feature.getCategories(),
            feature.getOtherProportion());
    }

    /** The drift report of a closed window's partial against the unit's baseline (null without one), as the pipeline makes it. */
    public static DriftReport report(final DriftCalculator calculator, final FeaturePartial window, final TrainingBaseline baseline,
                                     final Instant windowStart, final Instant windowEnd) {
        return toAvro(calculator.report(window.getRows(), features(window), expected(baseline)), window, windowStart, windowEnd);
    }

    /** The report of a closed window's partial. */
    public static DriftReport toAvro(final DriftVerdict verdict, final FeaturePartial window, final Instant windowStart,
                                     final Instant windowEnd) {
        return DriftReport.newBuilder()
            .setUnit(window.getUnit())
            .setWindowStart(windowStart)
            .setWindowEnd(windowEnd)
            .setStatus(verdict.status())
            .setBaselineVersion(verdict.baselineVersion())
            .setRows(window.getRows())
            .setCorrection(verdict.correction())
            .setAlpha(verdict.alpha())
            .setCorrectedThreshold(verdict.correctedThreshold())
            .setDriftDetected(verdict.driftDetected())
            .setFeatures(verdict.features().stream().map(DriftRecords::toAvro).toList())
            .setDroppedFeatures(window.getDroppedFeatures())
            .setDroppedFeatureNames(window.getDroppedFeatureNames())
            .build();
    }

    public static FeatureDrift toAvro(final FeatureComparison feature) {
        return FeatureDrift.newBuilder()
            .setName(feature.name())
            .setKind(feature.categorical() ? FeatureKind.CATEGORICAL : FeatureKind.NUMERIC)
            .setCount(feature.count())
            .setMissingCount(feature.missingCount())
            .setTest(feature.test())
            .setStatistic(feature.statistic())
            .setPValue(feature.pValue())
            .setStatisticError(feature.statisticError())
            .setMissingRate(feature.missingRate())
            .setBaselineMissingRate(feature.baselineMissingRate())
            .setPsi(feature.psi())
            .setDrifted(feature.drifted())
            .setWatched(feature.watched())
            .setBinEdges(feature.binEdges())
            .setCategories(feature.categories())
            .setBaselineProportions(feature.baselineProportions())
            .setCurrentProportions(feature.currentProportions())
            .build();
    }

    /**
     * The most bytes a partial of these limits takes in Avro, whatever the traffic: the size every
     * internal topic that carries or stores partials must take (topic and producer limits are set
     * from it). Worst case throughout: every name and category at its longest in three-byte UTF-8,
     * every feature with a full sketch, the window's categories all kept.
     */
    public static long maxPartialBytes(final Limits limits) {
        final long name = Limits.MAX_NAME_LENGTH * 3L + 5;
        final long sketch = KllSketch.getMaxSerializedSizeBytes(FeatureWindow.SKETCH_K, 1L << 40, KllSketch.SketchType.DOUBLES_SKETCH, false) + 6;
        final long feature = name + 3 * 10 + sketch + 3 * 5;
        final long category = Limits.MAX_CATEGORY_LENGTH * 3L + 5 + 10;
        final long unit = 4 * (Unit.MAX_PART_LENGTH * 3L + 5);
        return unit + 4 * 10 + 2 * 5 + (limits.maxFeatures() + FeatureWindow.ROW_SUMMARIES.size()) * feature
            + 2L * FeatureBudget.MAX_CATEGORIES_PER_WINDOW * category + FeatureWindow.NAMED_DROPS * name + 64;
    }
}
