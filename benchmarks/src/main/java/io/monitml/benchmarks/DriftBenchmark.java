package io.monitml.benchmarks;

import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.monitml.config.Defaults;
import io.monitml.aggregate.FeatureWindow;
import io.monitml.avro.DriftReport;
import io.monitml.avro.FeaturePartial;
import io.monitml.avro.TrainingBaseline;
import io.monitml.demo.BostonHousing;
import io.monitml.demo.DemoBaseline;
import io.monitml.drift.DriftCalculator;
import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.RowBatch;
import io.monitml.topology.DriftRecords;

/**
 * The two costs of feature drift: adding one request row to a window's aggregate (12 Boston
 * features into their sketches), and the drift computation when a window of 20,000 rows closes
 * (KS from sketches, PSI, correction, for every feature). Run:
 * {@code java -jar benchmarks/target/benchmarks.jar DriftBenchmark}.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DriftBenchmark {

    private static final Unit UNIT = new Unit("seldon", "housing", "v1", "classifier");

    private RowBatch[] rows;
    private FeatureWindow window;
    private FeaturePartial closedWindow;
    private TrainingBaseline baseline;
    private DriftCalculator calculator;
    private int next;

    @Setup
    public void setUp() {
        final BostonHousing data = BostonHousing.load();
        final String[] names = data.featureNames().toArray(String[]::new);
        final Random random = new Random(1);
        rows = new RowBatch[1024];
        for (int i = 0; i < rows.length; i++) {
            final double[] row = data.row(random.nextInt(data.size()));
            for (int j = 0; j < row.length; j++) {
                row[j] *= 1 + 0.02 * random.nextGaussian();
            }
            rows[i] = RowBatch.of(names, row, null, 1, row.length);
        }
        window = new FeatureWindow(UNIT, 0L);
        final FeatureWindow full = new FeatureWindow(UNIT, 0L);
        for (int i = 0; i < 20_000; i++) {
            full.add(rows[i % rows.length], i);
        }
        closedWindow = DriftRecords.toAvro(full);
        baseline = DemoBaseline.build(Instant.EPOCH);
        calculator = new DriftCalculator(Defaults.drift());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public FeatureWindow aggregateOneRow() {
        window.add(rows[next++ & (rows.length - 1)], next);
        return window;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public DriftReport driftAtWindowClose() {
        return DriftRecords.report(calculator, closedWindow, baseline, Instant.EPOCH, Instant.EPOCH.plusSeconds(60));
    }
}
