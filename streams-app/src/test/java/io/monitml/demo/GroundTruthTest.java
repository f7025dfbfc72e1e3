package io.monitml.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.monitml.ingest.Label;

/** The demo's truths: the share of calls, the delays, one truth per row, and the traffic a seed gives left as it was. */
class GroundTruthTest {

    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private static final class Collecting implements LabelSink {
        final List<Label> labels = new ArrayList<>();

        @Override
        public void send(final List<Label> batch) {
            labels.addAll(batch);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void labelsTheShareOfCallsWithTheirHousesTruePricesAfterTheirDelay() {
        final BostonHousing data = BostonHousing.load();
        final MutableClock clock = new MutableClock(START);
        final Collecting sink = new Collecting();
        final CanaryTrafficGenerator generator = new CanaryTrafficGenerator(TrafficConfig.defaults().withBatchShare(0.2), data,
            LinearModel.fit(data), new CollectingSink(), clock).labelledBy(GroundTruth.defaults(sink, 3));
        final Map<String, GeneratedRequest> calls = new HashMap<>();
        for (int i = 0; i < 4_000; i++) {
            final GeneratedRequest call = generator.nextRequest();
            calls.put(call.requestId(), call);
            clock.advance(Duration.ofMillis(10));
            generator.sendDueLabels();
        }
        clock.advance(GroundTruth.DEFAULT_MAX_DELAY);
        generator.sendDueLabels();

        assertThat((double) sink.labels.size() / calls.size()).isCloseTo(GroundTruth.DEFAULT_SHARE, within(0.03));
        final List<Double> prices = new ArrayList<>();
        for (double medv : data.medv()) {
            prices.add(medv * 1000);
        }
        for (Label label : sink.labels) {
            final GeneratedRequest call = calls.get(label.requestId());
            final double[] truths = label.vector() != null ? label.vector() : new double[] {label.number()};
            assertThat(truths).containsExactly(call.truths());
            assertThat(prices).contains(truths[0]);
            final long delay = label.timeMillis() - call.response().time().toEpochMilli();
            assertThat(delay).isBetween(GroundTruth.DEFAULT_MIN_DELAY.toMillis(), GroundTruth.DEFAULT_MAX_DELAY.toMillis());
            assertThat(label.vector() == null).isEqualTo(call.predictions().length == 1);
        }
    }

    @Test
    void leavesTheTrafficOfASeedAsItWas() {
        final BostonHousing data = BostonHousing.load();
        final LinearModel model = LinearModel.fit(data);
        final CanaryTrafficGenerator plain = new CanaryTrafficGenerator(TrafficConfig.defaults(), data, model, new CollectingSink(),
            new MutableClock(START));
        final CanaryTrafficGenerator labelled = new CanaryTrafficGenerator(TrafficConfig.defaults(), data, model, new CollectingSink(),
            new MutableClock(START)).labelledBy(GroundTruth.defaults(new Collecting(), 3));
        for (int i = 0; i < 200; i++) {
            final GeneratedRequest a = plain.nextRequest();
            final GeneratedRequest b = labelled.nextRequest();
            assertThat(b.endpoint()).isEqualTo(a.endpoint());
            assertThat(b.predictions()).containsExactly(a.predictions());
        }
    }
}
