package io.monitml.topology;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.ObjLongConsumer;

import org.apache.datasketches.kll.KllDoublesSketch;

import io.monitml.aggregate.PerformanceWindow;
import io.monitml.aggregate.RegressionSummary;
import io.monitml.aggregate.RegressionWindow;
import io.monitml.avro.Moments;
import io.monitml.avro.PerformancePartial;
import io.monitml.avro.PerformanceReport;
import io.monitml.ingest.Unit;
import io.monitml.stats.RunningMoments;
import io.monitml.stats.Sketches;

/** Performance windows to and from the partials that cross the repartition and fill the store, and a window's report for the topic. */
public final class PerformanceRecords {

    /** How the unit admission in front of the merging stage reads a partial. */
    static final WindowMerger.Partials<PerformancePartial> MERGING = new WindowMerger.Partials<>() {
        @Override
        public long windowStart(final PerformancePartial partial) {
            return partial.getWindowStart().toEpochMilli();
        }

        @Override
        public PerformancePartial merge(final PerformancePartial aggregate, final PerformancePartial partial) {
            if (aggregate == null) {
                return partial;
            }
            final PerformanceWindow window = toWindow(aggregate);
            window.merge(toWindow(partial));
            return toAvro(window);
        }

        @Override
        public void records(final PerformancePartial partial, final ObjLongConsumer<String> byAggregation) {
            // The predictions are counted where the prediction statistics refuse them; here only the labels that judged them.
            if (partial.getError().getCount() > 0) {
                byAggregation.accept(PipelineListener.PERFORMANCE, partial.getError().getCount());
            }
        }
    };

    private PerformanceRecords() {
    }

    public static PerformancePartial toAvro(final PerformanceWindow window) {
        final RegressionWindow regression = window.regression();
        return PerformancePartial.newBuilder()
            .setUnit(window.unit().toAvro())
            .setWindowStart(Instant.ofEpochMilli(window.windowStart()))
            .setLastUpdate(Instant.ofEpochMilli(window.lastUpdate()))
            .setPredicted(window.predicted())
            .setTruth(moments(regression.truth()))
            .setError(moments(regression.error()))
            .setAbsoluteError(moments(regression.absoluteError()))
            .setAbsolutePercentageErrors(regression.absolutePercentageErrors())
            .setPercentageCount(regression.percentageCount())
            .setZeroTruths(regression.zeroTruths())
            .setLagSketch(regression.lagMillis().isEmpty() ? null : ByteBuffer.wrap(regression.lagMillis().toByteArray()))
            .build();
    }

    public static PerformanceWindow toWindow(final PerformancePartial partial) {
        final KllDoublesSketch lag = partial.getLagSketch() == null ? KllDoublesSketch.newHeapInstance(RegressionWindow.LAG_SKETCH_K)
            : Sketches.heapify(partial.getLagSketch());
        return new PerformanceWindow(Unit.fromAvro(partial.getUnit()), partial.getWindowStart().toEpochMilli(),
            partial.getLastUpdate().toEpochMilli(), partial.getPredicted(),
            new RegressionWindow(moments(partial.getTruth()), moments(partial.getError()), moments(partial.getAbsoluteError()),
                partial.getAbsolutePercentageErrors(), partial.getPercentageCount(), partial.getZeroTruths(), lag));
    }

    /** The window's figures so far, as the topic and the query API give them. */
    public static PerformanceReport toReport(final PerformancePartial merged, final long windowSizeMs) {
        final PerformanceWindow window = toWindow(merged);
        final RegressionSummary summary = window.regression().summary();
        return PerformanceReport.newBuilder()
            .setUnit(merged.getUnit())
            .setWindowStart(merged.getWindowStart())
            .setWindowEnd(Instant.ofEpochMilli(window.windowStart() + windowSizeMs))
            .setUpdatedAt(merged.getLastUpdate())
            .setPredicted(window.predicted())
            .setLabelled(summary.labelled())
            .setCoverage(window.coverage())
            .setMae(summary.mae())
            .setMaeStandardError(summary.maeStandardError())
            .setRmse(summary.rmse())
            .setBias(summary.bias())
            .setMape(summary.mape())
            .setZeroTruths(summary.zeroTruths())
            .setR2(summary.r2())
            .setLabelLagP50Millis(summary.lagP50Millis())
            .setLabelLagP99Millis(summary.lagP99Millis())
            .build();
    }

    /** The topic's key: the unit and the window's start, so that compaction keeps each window's latest figures. */
    public static String topicKey(final String unitKey, final long windowStart) {
        return PartialBuffers.key(unitKey, windowStart);
    }

    static String unitKey(final PerformancePartial partial) {
        return Unit.fromAvro(partial.getUnit()).key();
    }

    private static Moments moments(final RunningMoments moments) {
        return Moments.newBuilder().setCount(moments.count()).setMean(moments.count() == 0 ? 0.0 : moments.mean()).setM2(moments.m2())
            .setMin(moments.min()).setMax(moments.max()).build();
    }

    private static RunningMoments moments(final Moments moments) {
        return RunningMoments.of(moments.getCount(), moments.getMean(), moments.getM2(), moments.getMin(), moments.getMax());
    }
}
