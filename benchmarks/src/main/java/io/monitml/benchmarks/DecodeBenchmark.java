package io.monitml.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.internals.RecordHeaders;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.monitml.config.Defaults;
import io.monitml.ingest.DecodedBody;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.RecordDecoder;
import io.monitml.ingest.SeldonJsonDecoder;
import io.monitml.ingest.protobuf.V2Message;
import io.monitml.ingest.protobuf.V2ProtobufDecoder;
import io.monitml.proto.v2.InferTensorContents;
import io.monitml.proto.v2.ModelInferRequest;

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

    /** The same row as Seldon Core v2 writes it to a model's inputs topic: one FP64 tensor of shape [1, 13]. */
    private static final byte[] V2_PROTOBUF_ROW = ModelInferRequest.newBuilder()
        .setModelName("housing")
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
            .setName("predict").setDatatype("FP64").addShape(1).addShape(13)
            .setContents(InferTensorContents.newBuilder().addAllFp64Contents(List.of(
                0.00632, 18.0, 2.31, 0.0, 0.538, 6.575, 65.2, 4.09, 1.0, 296.0, 15.3, 4.98, 1.5))))
        .build()
        .toByteArray();

    private static final RecordHeaders CLOUD_EVENT = new RecordHeaders();

    static {
        CLOUD_EVENT.add("ce_type", "io.seldon.serving.inference.request".getBytes(StandardCharsets.UTF_8));
        CLOUD_EVENT.add("ce_requestid", "33fb419e-8d6b-44e0-a084-8bd4bd4dbf7b".getBytes(StandardCharsets.UTF_8));
        CLOUD_EVENT.add("ce_inferenceservicename", "housing".getBytes(StandardCharsets.UTF_8));
        CLOUD_EVENT.add("ce_endpoint", "v1".getBytes(StandardCharsets.UTF_8));
        CLOUD_EVENT.add("ce_modelid", "classifier".getBytes(StandardCharsets.UTF_8));
        CLOUD_EVENT.add("ce_namespace", "seldon".getBytes(StandardCharsets.UTF_8));
        CLOUD_EVENT.add("ce_time", "2026-11-26T10:00:00.123456789Z".getBytes(StandardCharsets.UTF_8));
        CLOUD_EVENT.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
    }

    private final SeldonJsonDecoder json = new SeldonJsonDecoder();
    private final V2ProtobufDecoder v2 = new V2ProtobufDecoder();
    private final RecordDecoder records = new RecordDecoder(Defaults.limits());

    @Benchmark
    public DecodedBody seldonJsonRow() {
        return json.decode(SELDON_JSON_ROW);
    }

    @Benchmark
    public V2Message v2ProtobufRow() {
        return v2.decodeRequest(V2_PROTOBUF_ROW);
    }

    /** What the pipeline does per record: headers, identity, event time and body. */
    @Benchmark
    public InferenceEvent seldonCloudEventRecord() {
        return records.decode("monitml.raw", CLOUD_EVENT, null, SELDON_JSON_ROW, 0L);
    }
}
