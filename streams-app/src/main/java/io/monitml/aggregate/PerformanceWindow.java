package io.monitml.aggregate;

import io.monitml.ingest.Unit;

/**
 * The realized performance of one unit's predictions in one window (of the predictions' event
 * time) as the label join sees it: how many predictions were kept for their labels and the error
 * of those judged so far ({@link RegressionWindow}). Mergeable: a task's partial since its last
 * flush adds to the window's whole.
 */
public final class PerformanceWindow {

    private final Unit unit;
    private final long windowStart;
    private long lastUpdate;
    private long predicted;
    private final RegressionWindow regression;

    public PerformanceWindow(final Unit unit, final long windowStart) {
        this(unit, windowStart, windowStart, 0, new RegressionWindow());
    }

    /** A window as it was kept. */
    public PerformanceWindow(final Unit unit, final long windowStart, final long lastUpdate, final long predicted,
                             final RegressionWindow regression) {
        this.unit = unit;
        this.windowStart = windowStart;
        this.lastUpdate = lastUpdate;
        this.predicted = predicted;
        this.regression = regression;
    }

    /** {@code rows} predictions kept for their labels, at {@code time}. */
    public void addPredicted(final long rows, final long time) {
        predicted += rows;
        lastUpdate = Math.max(lastUpdate, time);
    }

    /** A prediction judged by its label, which came at {@code labelTime}. */
    public void addLabel(final double prediction, final double truth, final long predictionTime, final long labelTime) {
        regression.add(prediction, truth, labelTime - predictionTime);
        lastUpdate = Math.max(lastUpdate, labelTime);
    }

    public void merge(final PerformanceWindow other) {
        predicted += other.predicted;
        lastUpdate = Math.max(lastUpdate, other.lastUpdate);
        regression.merge(other.regression);
    }

    /** Labelled over predicted; null before a prediction. */
    public Double coverage() {
        return predicted == 0 ? null : (double) regression.labelled() / predicted;
    }

    public Unit unit() {
        return unit;
    }

    public long windowStart() {
        return windowStart;
    }

    public long lastUpdate() {
        return lastUpdate;
    }

    public long predicted() {
        return predicted;
    }

    public RegressionWindow regression() {
        return regression;
    }
}
