package io.monitml.aggregate;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.datasketches.kll.KllDoublesSketch;

import io.monitml.drift.WindowFeature;
import io.monitml.ingest.Limits;
import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.RowBatch;

/**
 * The live, mergeable distribution of every feature of one unit in one window: a KLL sketch of
 * the numeric values, counts of the categorical ones, and missing counts.
 *
 * <p>Memory and the partial's size are bounded whatever the payloads ({@link FeatureBudget}): the
 * sketches whatever the rows, at most {@code maxFeatures} features whatever the columns (the
 * baseline's first, then in payload order; the columns left out are counted and the first of them
 * named), at most {@code maxCategories} categories per feature besides the baseline's (the first
 * seen; later ones, and any longer than {@link Limits#MAX_CATEGORY_LENGTH}, are counted together as
 * the feature's other, which the chi-square test compares with the baseline's other), and at most
 * {@link FeatureBudget#MAX_CATEGORIES_PER_WINDOW} in all (twice that with the baseline's). A batch wider
 * than {@code maxFeatures} (an image, an embedding) also gets three summaries of each row over all
 * its numeric cells, {@value #ROW_MEAN}, {@value #ROW_STD} and {@value #ROW_L2_NORM}, so that the
 * drift of what was left out still shows; they do not count against the limit.
 */
public final class FeatureWindow {

    /** Rank error about 1.6%; a sketch serializes to at most about 4.6 KB whatever the rows. */
    public static final int SKETCH_K = 160;
    public static final String ROW_MEAN = "row_mean";
    public static final String ROW_STD = "row_std";
    public static final String ROW_L2_NORM = "row_l2_norm";
    /** The row summaries of wide batches, in their order. */
    public static final List<String> ROW_SUMMARIES = List.of(ROW_MEAN, ROW_STD, ROW_L2_NORM);
    /** How many of the columns left out a window names. */
    public static final int NAMED_DROPS = 10;

    private final Unit unit;
    private final long windowStart;
    private final FeatureBudget budget;
    private long lastEventTime;
    private long rows;
    private final Map<String, Feature> features = new LinkedHashMap<>();
    /** Features counted against the limit: all but the row summaries. */
    private int limited;
    private int categories;
    private long droppedFeatures;
    private final List<String> droppedNames = new ArrayList<>(NAMED_DROPS);

    public FeatureWindow(final Unit unit, final long windowStart, final FeatureBudget budget) {
        this.unit = unit;
        this.windowStart = windowStart;
        this.budget = budget;
        this.lastEventTime = windowStart;
    }

    /** With the default limits and no baseline. */
    public FeatureWindow(final Unit unit, final long windowStart) {
        this(unit, windowStart, FeatureBudget.defaults());
    }

    /** @return how many of the batch's columns were left out */
    public int add(final RowBatch batch, final long eventTime) {
        lastEventTime = Math.max(lastEventTime, eventTime);
        rows += batch.rows();
        if (batch.columns() > budget.maxFeatures()) {
            return addWide(batch);
        }
        int dropped = 0;
        for (int column = 0; column < batch.columns(); column++) {
            final String name = batch.name(column);
            final Feature feature = feature(name);
            if (feature == null) {
                dropped++;
                nameDropped(name);
            } else {
                addColumn(feature, batch, column);
            }
        }
        droppedFeatures = Math.max(droppedFeatures, dropped);
        return dropped;
    }

    /**
     * The baseline's columns first, then the others in payload order while the limit allows; once
     * every feature of the window has its column, the rest are dropped without being named one by
     * one (an image has 150,528 columns).
     */
    private int addWide(final RowBatch batch) {
        final int columns = batch.columns();
        final BitSet taken = new BitSet(columns);
        int kept = 0;
        Map<String, Integer> index = null;
        for (String name : budget.baselineFeatures()) {
            if (batch.hasNames() && index == null) {
                index = BatchColumns.indexOf(batch);
            }
            final int column = batch.hasNames() ? index.getOrDefault(name, -1) : BatchColumns.positional(name, columns);
            if (column >= 0 && !taken.get(column)) {
                final Feature feature = feature(name);
                if (feature != null) {
                    taken.set(column);
                    addColumn(feature, batch, column);
                    kept++;
                }
            }
        }
        int column = taken.nextClearBit(0);
        for (; column < columns && !(limited >= budget.maxFeatures() && kept >= limited); column = taken.nextClearBit(column + 1)) {
            final String name = batch.name(column);
            final Feature feature = feature(name);
            if (feature == null) {
                nameDropped(name);
            } else {
                taken.set(column);
                addColumn(feature, batch, column);
                kept++;
            }
        }
        for (; column < columns && droppedNames.size() < NAMED_DROPS; column = taken.nextClearBit(column + 1)) {
            nameDropped(batch.name(column));
        }
        droppedFeatures = Math.max(droppedFeatures, columns - kept);
        addRowSummaries(batch);
        return columns - kept;
    }

    private void addRowSummaries(final RowBatch batch) {
        final Feature mean = summary(ROW_MEAN);
        final Feature std = summary(ROW_STD);
        final Feature norm = summary(ROW_L2_NORM);
        for (int row = 0; row < batch.rows(); row++) {
            long count = 0;
            double sum = 0;
            double squares = 0;
            for (int column = 0; column < batch.columns(); column++) {
                final double value = batch.value(row, column);
                if (!Double.isNaN(value)) {
                    count++;
                    sum += value;
                    squares += value * value;
                }
            }
            if (count == 0) {
                mean.missing++;
                std.missing++;
                norm.missing++;
                continue;
            }
            final double average = sum / count;
            mean.sketch().update(average);
            std.sketch().update(Math.sqrt(Math.max(0.0, squares / count - average * average)));
            norm.sketch().update(Math.sqrt(squares));
        }
    }

    private void addColumn(final Feature feature, final RowBatch batch, final int column) {
        for (int row = 0; row < batch.rows(); row++) {
            final String category = batch.string(row, column);
            final double value = batch.value(row, column);
            if (category != null) {
                addCategory(feature, category, 1);
            } else if (Double.isNaN(value)) {
                feature.missing++;
            } else {
                feature.sketch().update(value);
            }
        }
    }

    /** Kept when known, in the baseline, or within the feature's and the window's room; else counted as other. */
    private void addCategory(final Feature feature, final String category, final long count) {
        final Long known = feature.categories.get(category);
        if (known != null) {
            feature.categories.put(category, known + count);
        } else if (category.length() <= Limits.MAX_CATEGORY_LENGTH && (feature.baselineCategories.contains(category)
            ? categories < 2 * FeatureBudget.MAX_CATEGORIES_PER_WINDOW
            : feature.categories.size() < budget.maxCategories() && categories < FeatureBudget.MAX_CATEGORIES_PER_WINDOW)) {
            feature.categories.put(category, count);
            categories++;
        } else {
            feature.other += count;
        }
    }

    /** The feature of that name, new if the limit allows; null when it does not. */
    private Feature feature(final String name) {
        final Feature feature = features.get(name);
        if (feature != null || limited >= budget.maxFeatures() || ROW_SUMMARIES.contains(name)) {
            return feature;
        }
        limited++;
        final Feature created = new Feature(budget.categoriesOf(name));
        features.put(name, created);
        return created;
    }

    private Feature summary(final String name) {
        return features.computeIfAbsent(name, key -> new Feature(Set.of()));
    }

    private void nameDropped(final String name) {
        if (droppedNames.size() < NAMED_DROPS && !droppedNames.contains(name)) {
            droppedNames.add(name);
        }
    }

    public long lastEventTime() {
        return lastEventTime;
    }

    /** The columns left out: the most of any one event (or merged partial). */
    public long droppedFeatures() {
        return droppedFeatures;
    }

    public Unit unit() {
        return unit;
    }

    public long windowStart() {
        return windowStart;
    }

    /** The request rows added. */
    public long rows() {
        return rows;
    }

    /** The first of the columns left out, at most {@value #NAMED_DROPS}. */
    public List<String> droppedNames() {
        return List.copyOf(droppedNames);
    }

    /** What the window holds of each feature, in the order they came. The sketches are the window's own, not copies. */
    public List<WindowFeature> features() {
        final List<WindowFeature> all = new ArrayList<>(features.size());
        features.forEach((name, feature) -> all.add(new WindowFeature(name, feature.missing, feature.sketch, feature.categories,
            feature.other)));
        return all;
    }

    /**
     * Adds what another window of the same unit and time holds, within this window's limits:
     * features beyond them are dropped and counted, and categories beyond them are counted as
     * the feature's other.
     */
    public void merge(final long otherRows, final long otherLastEventTime, final long otherDropped, final List<String> otherDroppedNames,
                      final List<WindowFeature> otherFeatures) {
        lastEventTime = Math.max(lastEventTime, otherLastEventTime);
        rows += otherRows;
        long dropped = otherDropped;
        otherDroppedNames.forEach(this::nameDropped);
        for (WindowFeature summary : otherFeatures) {
            final Feature feature = ROW_SUMMARIES.contains(summary.name()) ? summary(summary.name()) : feature(summary.name());
            if (feature == null) {
                dropped++;
                nameDropped(summary.name());
                continue;
            }
            feature.missing += summary.missing();
            feature.other += summary.otherCategories();
            summary.categories().forEach((category, count) -> addCategory(feature, category, count));
            if (summary.sketch() != null) {
                feature.sketch().merge(summary.sketch());
            }
        }
        droppedFeatures = Math.max(droppedFeatures, dropped);
    }

    private static final class Feature {
        private KllDoublesSketch sketch;
        private long missing;
        private long other;
        private final Map<String, Long> categories = new HashMap<>();
        private final Set<String> baselineCategories;

        Feature(final Set<String> baselineCategories) {
            this.baselineCategories = baselineCategories;
        }

        KllDoublesSketch sketch() {
            if (sketch == null) {
                sketch = KllDoublesSketch.newHeapInstance(SKETCH_K);
            }
            return sketch;
        }
    }
}
