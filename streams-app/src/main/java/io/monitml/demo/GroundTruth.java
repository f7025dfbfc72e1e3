package io.monitml.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;

import io.monitml.ingest.Label;

/**
 * The demo's truths: for a share of the calls, the true prices of the houses asked about (the data
 * set's {@code medv}, in dollars) become known after a random delay, as a sale closes weeks after a
 * valuation, and go to a {@link LabelSink} then, a batch of due labels at a time. One truth per row:
 * a number for a call of one row, an array for a batch. Its own random source, so that labelling
 * changes nothing of the traffic a seed gives.
 *
 * <p>Not thread-safe: the generator's thread adds and sends.
 */
public final class GroundTruth {

    /** As the demo: 30% of the predictions, after 10 to 50 seconds. */
    public static final double DEFAULT_SHARE = 0.3;
    public static final Duration DEFAULT_MIN_DELAY = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(50);

    private record Pending(Instant due, String requestId, double[] truths) {
    }

    private final double share;
    private final Duration minDelay;
    private final long spreadMillis;
    private final LabelSink sink;
    private final Random random;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>((a, b) -> a.due().compareTo(b.due()));
    private long labelled;

    /** @param seed of the choice of calls and of the delays */
    public GroundTruth(final double share, final Duration minDelay, final Duration maxDelay, final LabelSink sink, final long seed) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("label share must be within [0, 1]: " + share);
        }
        if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("label delays must satisfy 0 <= min <= max: " + minDelay + ", " + maxDelay);
        }
        this.share = share;
        this.minDelay = minDelay;
        this.spreadMillis = maxDelay.minus(minDelay).toMillis();
        this.sink = Objects.requireNonNull(sink, "sink");
        this.random = new Random(seed);
    }

    public static GroundTruth defaults(final LabelSink sink, final long seed) {
        return new GroundTruth(DEFAULT_SHARE, DEFAULT_MIN_DELAY, DEFAULT_MAX_DELAY, sink, seed);
    }

    /** A call made at {@code time}: with the share's probability its truths become known later. */
    void called(final String requestId, final double[] truths, final Instant time) {
        if (random.nextDouble() < share) {
            final long delay = minDelay.toMillis() + (spreadMillis == 0 ? 0 : (long) (random.nextDouble() * spreadMillis));
            pending.add(new Pending(time.plusMillis(delay), requestId, truths.clone()));
        }
    }

    /** Sends the labels due by {@code now} (stamped with their due time), in one batch. */
    void sendDue(final Instant now) {
        final List<Label> due = new ArrayList<>();
        while (!pending.isEmpty() && !pending.peek().due().isAfter(now)) {
            final Pending label = pending.poll();
            final long time = label.due().toEpochMilli();
            due.add(label.truths().length == 1 ? Label.ofNumber(label.requestId(), label.truths()[0], time)
                : Label.ofVector(label.requestId(), label.truths(), time));
        }
        labelled += due.size();
        sink.send(due);
    }

    /** Labels sent so far. */
    public long labelled() {
        return labelled;
    }

    /** Labels waiting for their time. */
    public int pending() {
        return pending.size();
    }
}
