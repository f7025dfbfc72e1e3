package io.monitml.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.RowBatch;

/** Merging and closing prediction windows, without Kafka: the partials of two partitions give the statistics of all their responses. */
class PredictionWindowTest {

    private static final Unit UNIT = new Unit("seldon", "housing", "v1", "classifier");

    private static RowBatch predictions(final double... values) {
        return RowBatch.numeric(new String[] {"price"}, values, values.length, 1);
    }

    @Test
    void twoPartitionsMergeIntoTheStatisticsOfAllTheirResponses() {
        final PredictionWindow first = new PredictionWindow(UNIT, 0);
        final PredictionWindow second = new PredictionWindow(UNIT, 0);
        first.addResponse(10, false, predictions(1, 2, 3));
        first.addResponse(20, true, null);
        second.addResponse(15, false, predictions(4, 5));
        second.addResponse(30, false, predictions(6));
        second.addLatency(30, 12.5);

        first.merge(second);
        final PredictionSummary summary = first.summary();

        final double[] all = {1, 2, 3, 4, 5, 6};
        final double mean = Arrays.stream(all).average().orElseThrow();
        final double variance = Arrays.stream(all).map(v -> (v - mean) * (v - mean)).sum() / (all.length - 1);
        assertThat(summary.output()).isEqualTo("price");
        assertThat(summary.responses()).isEqualTo(4);
        assertThat(summary.errorCount()).isEqualTo(1);
        assertThat(summary.count()).isEqualTo(6);
        assertThat(summary.min()).isEqualTo(1.0);
        assertThat(summary.max()).isEqualTo(6.0);
        assertThat(summary.mean()).isCloseTo(mean, within(1e-12));
        assertThat(summary.variance()).isCloseTo(variance, within(1e-12));
        // The sketches hold every value: the quantiles are exact (inclusive ranks, as numpy's inverted_cdf).
        assertThat(summary.p50()).isEqualTo(3.0);
        assertThat(summary.p90()).isEqualTo(6.0);
        assertThat(summary.latencyP50Millis()).isEqualTo(12.5);
        assertThat(first.lastEventTime()).isEqualTo(30);
    }

    @Test
    void aWindowWithoutPredictionsHasNoStatisticsToReport() {
        final PredictionWindow window = new PredictionWindow(UNIT, 1_000);
        window.addResponse(1_500, true, null);
        window.addLatency(1_600, -1);
        window.addLatency(1_700, Double.NaN);

        final PredictionSummary summary = window.summary();

        assertThat(summary.responses()).isEqualTo(1);
        assertThat(summary.errorCount()).isEqualTo(1);
        assertThat(summary.count()).isZero();
        assertThat(summary.output()).isNull();
        assertThat(summary.mean()).isNull();
        assertThat(summary.p50()).isNull();
        assertThat(summary.latencyP50Millis()).as("negative and undefined latencies are left out").isNull();
        assertThat(window.lastEventTime()).isEqualTo(1_700);
    }

    @Test
    void missingPredictionsAreLeftOutOfTheSketchAndTheMoments() {
        final PredictionWindow window = new PredictionWindow(UNIT, 0);
        window.addResponse(1, false, predictions(Double.NaN, 2.0));

        final PredictionSummary summary = window.summary();

        assertThat(summary.count()).isEqualTo(1);
        assertThat(summary.mean()).isEqualTo(2.0);
        assertThat(summary.p50()).isEqualTo(2.0);
    }
}
