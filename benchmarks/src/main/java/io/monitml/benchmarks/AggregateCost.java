package io.monitml.benchmarks;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import io.monitml.config.Defaults;
import io.monitml.aggregate.FeatureWindow;
import io.monitml.avro.FeaturePartial;
import io.monitml.avro.TrainingBaseline;
import io.monitml.demo.BostonHousing;
import io.monitml.demo.DemoBaseline;
import io.monitml.drift.DriftCalculator;
import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.RowBatch;
import io.monitml.topology.DriftRecords;

record AggregateCost(long bytes, double driftMillisMedian) {

    static AggregateCost of(final long rows, final int repeats) {
        final BostonHousing data = BostonHousing.load();
        final String[] names = data.featureNames().toArray(String[]::new);
        final Random random = new Random(7);
        final Unit unit = new Unit(PipelineBenchmark.NAMESPACE, PipelineBenchmark.DEPLOYMENT, "v1", PipelineBenchmark.MODEL);
        final FeatureWindow window = new FeatureWindow(unit, PipelineBenchmark.T0.toEpochMilli());
        for (long i = 0; i < rows; i++) {
            final double[] row = data.row(random.nextInt(data.size()));
            for (int j = 0; j < row.length; j++) {
                row[j] *= 1 + 0.02 * random.nextGaussian();
            }
            window.add(RowBatch.of(names, row, null, 1, row.length), PipelineBenchmark.T0.toEpochMilli() + i);
        }
        final FeaturePartial partial = DriftRecords.toAvro(window);
        final long bytes;
        try {
            bytes = partial.toByteBuffer().remaining();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        final TrainingBaseline baseline = DemoBaseline.build(PipelineBenchmark.T0);
        final DriftCalculator calculator = new DriftCalculator(Defaults.drift());
        final double[] millis = new double[repeats];
        for (int i = 0; i < repeats * 3; i++) { // the first two thirds warm up
            final long start = System.nanoTime();
            if (DriftRecords.report(calculator, partial, baseline, PipelineBenchmark.T0, PipelineBenchmark.T0.plus(PipelineBenchmark.WINDOW)) == null) {
                throw new IllegalStateException("no drift report");
            }
            if (i >= repeats * 2) {
                millis[i - repeats * 2] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(millis);
        return new AggregateCost(bytes, millis[repeats / 2]);
    }
}
