package io.monitml.benchmarks;

/**
 * How the serialized feature aggregate of one (model, variant, window) grows with the rows in the
 * window, for the 13 Boston features, and what its window-close drift computation costs: the same
 * code as the pipeline benchmark's aggregate figures, at 10^3 to 10^MAX rows (default 7). Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.monitml.benchmarks.AggregateGrowth [MAX]}.
 */
public final class AggregateGrowth {

    private AggregateGrowth() {
    }

    public static void main(final String[] args) {
        final int max = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.println("| rows in the window | serialized aggregate | drift at window close (median of 51) |");
        System.out.println("|---|---|---|");
        long rows = 1000;
        for (int exponent = 3; exponent <= max; exponent++, rows *= 10) {
            final AggregateCost cost = AggregateCost.of(rows, 51);
            System.out.printf("| %,d | %,d bytes (%.1f KiB) | %.2f ms |%n", rows, cost.bytes(), cost.bytes() / 1024.0,
                cost.driftMillisMedian());
        }
    }
}
