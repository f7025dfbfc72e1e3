package io.monitml.stats;

/**
 * Count, min, max, mean and variance of a stream of numbers in O(1) memory. Values are added with
 * Welford's update and partial results merged with Chan et al.'s pairwise formula, so partials
 * computed on different partitions combine into exactly what one pass over all values gives
 * (up to rounding). NaN values are ignored: they stand for missing.
 */
public final class RunningMoments {

    private long count;
    private double mean;
    private double m2;
    private double min = Double.NaN;
    private double max = Double.NaN;

    public RunningMoments() {
    }

    private RunningMoments(final long count, final double mean, final double m2, final double min, final double max) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
        this.min = min;
        this.max = max;
    }

    /** Rebuilds moments from their stored parts (as kept in a partial aggregate). */
    public static RunningMoments of(final long count, final double mean, final double m2, final double min, final double max) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        return count == 0 ? new RunningMoments() : new RunningMoments(count, mean, m2, min, max);
    }

    public void add(final double value) {
        if (Double.isNaN(value)) {
            return;
        }
        count++;
        final double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        if (count == 1) {
            min = value;
            max = value;
        } else {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
    }

    public void merge(final RunningMoments other) {
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            count = other.count;
            mean = other.mean;
            m2 = other.m2;
            min = other.min;
            max = other.max;
            return;
        }
        final long total = count + other.count;
        final double delta = other.mean - mean;
        mean += delta * other.count / total;
        m2 += other.m2 + delta * delta * ((double) count * other.count / total);
        count = total;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    /** NaN when empty. */
    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    public double m2() {
        return m2;
    }

    /** Sample variance (divides by n - 1); NaN with fewer than two values. */
    public double variance() {
        return count < 2 ? Double.NaN : m2 / (count - 1);
    }

    /** NaN when empty. */
    public double min() {
        return min;
    }

    /** NaN when empty. */
    public double max() {
        return max;
    }
}
