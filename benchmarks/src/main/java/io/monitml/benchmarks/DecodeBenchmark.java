package io.monitml.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.monitml.ingest.DecodedBody;
import io.monitml.ingest.SeldonJsonDecoder;

/**
 * Decoding one 13-feature row, the unit of work of the hot path. Single-threaded: the score is
 * rows per second per core. Run: {@code java -jar benchmarks/target/benchmarks.jar DecodeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {

    /** A Boston-housing request as the Seldon v1 executor logs it. */
    private static final byte[] SELDON_JSON_ROW = ("{\"data\":{\"names\":[\"crim\",\"zn\",\"indus\",\"chas\",\"nox\",\"rm\",\"age\",\"dis\","
        + "\"rad\",\"tax\",\"ptratio\",\"lstat\",\"row_id\"],\"ndarray\":[[0.00632,18.0,2.31,0.0,0.538,6.575,65.2,4.09,1.0,296.0,"
        + "15.3,4.98,1.5]]}}").getBytes(StandardCharsets.UTF_8);

    private final SeldonJsonDecoder json = new SeldonJsonDecoder();

    @Benchmark
    public DecodedBody seldonJsonRow() {
        return json.decode(SELDON_JSON_ROW);
    }
}
