package io.monitml.baseline;

import java.util.Arrays;

import org.apache.datasketches.kll.KllDoublesSketch;

import io.monitml.stats.PopulationStabilityIndex;
import io.monitml.stats.RunningMoments;

/**
 * One numeric column of a table, summarised in one pass: its count, moments and KLL sketch, and
 * its values themselves while the table is small enough to hold them. Held, the PSI bin edges are
 * the exact quantiles and the bins are counted here; beyond {@link #holdable}, the edges come from
 * the sketch (within its rank error) and the caller counts the bins in another pass.
 */
public final class NumericColumn {

    /** At most this many numeric cells of a table are held (8 bytes each), and at most an eighth of the heap. */
    static final long MAX_HELD_CELLS = 1L << 24;

    private final KllDoublesSketch sketch;
    private final RunningMoments moments = new RunningMoments();
    private final double[] held;
    private int heldCount;
    private long missing;
    private double[] sorted;

    /**
     * @param rows the table's rows, the most values this column can hold
     * @param hold whether to hold the values (see {@link #holdable})
     */
    public NumericColumn(final int sketchK, final long rows, final boolean hold) {
        this.sketch = KllDoublesSketch.newHeapInstance(sketchK);
        this.held = hold ? new double[Math.toIntExact(rows)] : null;
    }

    /** Whether a table's numeric columns can hold their values: this many cells in all. */
    public static boolean holdable(final long cells) {
        return cells <= Math.min(MAX_HELD_CELLS, Runtime.getRuntime().maxMemory() / Double.BYTES / 8);
    }

    /** Adds a cell's value; NaN (missing, or not a number) counts as missing. */
    public void add(final double value) {
        if (!Double.isFinite(value)) {
            missing++;
            return;
        }
        sketch.update(value);
        moments.add(value);
        if (held != null) {
            held[heldCount++] = value;
        }
    }

    public long present() {
        return moments.count();
    }

    public long missing() {
        return missing;
    }

    public RunningMoments moments() {
        return moments;
    }

    public KllDoublesSketch sketch() {
        return sketch;
    }

    public boolean held() {
        return held != null;
    }

    /** The present values in ascending order; only when held. */
    public double[] sorted() {
        if (held == null) {
            throw new IllegalStateException("the values were not held");
        }
        if (sorted == null) {
            sorted = Arrays.copyOf(held, heldCount);
            Arrays.sort(sorted);
        }
        return sorted;
    }

    /** PSI's quantile bin edges: exact when held, else from the sketch by the same convention. */
    public double[] binEdges(final int bins) {
        return held == null ? PopulationStabilityIndex.binEdges(sketch, bins) : PopulationStabilityIndex.binEdges(sorted(), bins);
    }

    /** The values per bin of these edges when held; null when they must be counted in another pass ({@link BinCounts}). */
    public long[] counts(final double[] edges) {
        return held == null ? null : PopulationStabilityIndex.counts(edges, sorted());
    }

    /** Values counted per bin as a pass reads them. */
    public static final class BinCounts {

        private final double[] edges;
        private final long[] counts;

        public BinCounts(final double[] edges) {
            this.edges = edges;
            this.counts = new long[edges.length + 1];
        }

        public void add(final double value) {
            if (Double.isFinite(value)) {
                counts[PopulationStabilityIndex.binIndex(edges, value)]++;
            }
        }

        public long[] counts() {
            return counts;
        }
    }
}
