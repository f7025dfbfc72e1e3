package io.monitml.baseline;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;

/**
 * One categorical column's counts in bounded memory, by Apache DataSketches' frequent-items
 * sketch: exact while the column has at most {@link #EXACT_DISTINCT} distinct values; beyond, each
 * count is within the sketch's maximum error and the rarest values drop out, which a baseline
 * keeping its top categories does not miss.
 */
public final class CategoryCounts {

    private static final int MAX_MAP_SIZE = 1 << 16;
    /** The distinct values counted exactly: three quarters of the sketch's map. */
    public static final int EXACT_DISTINCT = MAX_MAP_SIZE / 4 * 3;

    private final ItemsSketch<String> sketch = new ItemsSketch<>(MAX_MAP_SIZE);
    private long missing;

    public void add(final String cell) {
        if (Cells.missing(cell)) {
            missing++;
        } else {
            sketch.update(cell);
        }
    }

    public long present() {
        return sketch.getStreamLength();
    }

    public long missing() {
        return missing;
    }

    /** The values and their counts, most frequent first, ties by value. */
    public Map<String, Long> counts() {
        final Map<String, Long> counts = new LinkedHashMap<>();
        Arrays.stream(sketch.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES))
            .sorted(Comparator.comparingLong(ItemsSketch.Row<String>::getEstimate).reversed()
                .thenComparing(ItemsSketch.Row::getItem))
            .forEach(row -> counts.put(row.getItem(), row.getEstimate()));
        return counts;
    }
}
