package io.monitml.drift;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.datasketches.kll.KllDoublesSketch;

import io.monitml.avro.FeaturePartial;
import io.monitml.avro.FeatureSummary;
import io.monitml.ingest.RowBatch;
import io.monitml.ingest.Unit;
import io.monitml.stats.Sketches;

/**
 * The live, mergeable distribution of every feature of one unit in one window: a KLL sketch of
 * the numeric values, counts of the categorical ones, and missing counts. Memory is bounded by the
 * sketches, whatever the number of rows.
 */
public final class FeatureWindow {

    /** Rank error about 1.6%; 13 features of a million rows each serialize to well under 64 KiB. */
    public static final int SKETCH_K = 160;

    private final Unit unit;
    private final long windowStart;
    private long lastEventTime;
    private long rows;
    private final Map<String, Feature> features = new LinkedHashMap<>();

    public FeatureWindow(final Unit unit, final long windowStart) {
        this.unit = unit;
        this.windowStart = windowStart;
        this.lastEventTime = windowStart;
    }

    public void add(final RowBatch batch, final long eventTime) {
        lastEventTime = Math.max(lastEventTime, eventTime);
        rows += batch.rows();
        for (int column = 0; column < batch.columns(); column++) {
            final Feature feature = features.computeIfAbsent(batch.name(column), name -> new Feature());
            for (int row = 0; row < batch.rows(); row++) {
                final String category = batch.string(row, column);
                final double value = batch.value(row, column);
                if (category != null) {
                    feature.categories.merge(category, 1L, Long::sum);
                } else if (Double.isNaN(value)) {
                    feature.missing++;
                } else {
                    feature.sketch().update(value);
                }
            }
        }
    }

    public long lastEventTime() {
        return lastEventTime;
    }

    public FeaturePartial toAvro() {
        final List<FeatureSummary> summaries = new ArrayList<>(features.size());
        features.forEach((name, feature) -> summaries.add(FeatureSummary.newBuilder()
            .setName(name)
            .setCount(feature.sketch == null ? 0 : feature.sketch.getN())
            .setMissing(feature.missing)
            .setSketch(feature.sketch == null ? null : ByteBuffer.wrap(feature.sketch.toByteArray()))
            .setCategories(new HashMap<>(feature.categories))
            .build()));
        return FeaturePartial.newBuilder()
            .setUnit(unit.toAvro())
            .setWindowStart(Instant.ofEpochMilli(windowStart))
            .setLastEventTime(Instant.ofEpochMilli(lastEventTime))
            .setRows(rows)
            .setFeatures(summaries)
            .build();
    }

    public static FeatureWindow fromAvro(final FeaturePartial partial) {
        final FeatureWindow window = new FeatureWindow(Unit.fromAvro(partial.getUnit()), partial.getWindowStart().toEpochMilli());
        window.merge(partial);
        return window;
    }

    /** Adds a partial of the same unit and window. */
    public void merge(final FeaturePartial partial) {
        lastEventTime = Math.max(lastEventTime, partial.getLastEventTime().toEpochMilli());
        rows += partial.getRows();
        for (FeatureSummary summary : partial.getFeatures()) {
            final Feature feature = features.computeIfAbsent(summary.getName(), name -> new Feature());
            feature.missing += summary.getMissing();
            summary.getCategories().forEach((category, count) -> feature.categories.merge(category, count, Long::sum));
            if (summary.getSketch() != null) {
                feature.sketch().merge(Sketches.heapify(summary.getSketch()));
            }
        }
    }


    private static final class Feature {
        private KllDoublesSketch sketch;
        private long missing;
        private final Map<String, Long> categories = new HashMap<>();

        KllDoublesSketch sketch() {
            if (sketch == null) {
                sketch = KllDoublesSketch.newHeapInstance(SKETCH_K);
            }
            return sketch;
        }
    }
}
