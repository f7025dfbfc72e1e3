package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.PackagedJar;
import io.monitml.avro.TrainingBaseline;

/**
 * {@code monitml baseline} and {@code monitml compare} from the packaged jar over a training set
 * larger than the heap they are given (a CSV of 2.4 million rows, about 90 MB, under {@code -Xmx32m}):
 * the file is read as a stream, the bin edges come from the sketch, and the bins, categories and
 * missing values are still counted exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeTrainingSetIT {

    private static final int ROWS = 2_400_000;
    private static final String HEAP = "32m";

    private Path dir;
    private Path training;

    @BeforeAll
    void writeTrainingSet(@TempDir final Path tempDir) throws IOException {
        dir = tempDir;
        training = dir.resolve("training.csv");
        write(training, ROWS, 0, 1);
        assertThat(Files.size(training)).as("the file is larger than the heap").isGreaterThan(2L * 32 * 1024 * 1024);
    }

    /**
     * u: the integers 0..999, each equally often (shifted by {@code shift}); v: normal, every 1000th
     * row missing; w: uniform; city: three values in turn, one of them quoted with a comma.
     */
    private static void write(final Path file, final int rows, final int shift, final long seed) throws IOException {
        final Random random = new Random(seed);
        final String[] cities = {"Boston", "\"Salem, MA\"", "Lowell"};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("u,v,w,city\r\n");
            for (int row = 0; row < rows; row++) {
                out.write(Integer.toString((int) ((row * 7919L) % 1000) + shift));
                out.write(',');
                out.write(row % 1000 == 999 ? "NA" : Double.toString(Math.round(random.nextGaussian() * 1000) / 100.0));
                out.write(',');
                out.write(Double.toString(random.nextDouble()));
                out.write(',');
                out.write(cities[row % 3]);
                out.write("\r\n");
            }
        }
    }

    private static Process monitml(final Path log, final String... arguments) throws IOException {
        return new ProcessBuilder(PackagedJar.command(HEAP, List.of(arguments))).redirectErrorStream(true).redirectOutput(log.toFile())
            .start();
    }

    private static int finish(final Process process, final Path log) throws Exception {
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("finished within 3 minutes").isTrue();
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        return process.exitValue();
    }

    @Test
    void summarisesATrainingSetLargerThanTheHeap() throws Exception {
        final Path output = dir.resolve("baseline.json");
        final Path log = dir.resolve("baseline.log");

        final Process process = monitml(log, "baseline", "--data", training.toString(), "--deployment", "big", "--version", "1",
            "--categorical", "city", "--publish", "false", "--output", output.toString());

        assertThat(finish(process, log)).as(Files.readString(log)).isZero();
        final GenericRecord baseline;
        try (InputStream in = Files.newInputStream(output)) {
            // A generic record: the generated classes are trusted only inside the application.
            baseline = new GenericDatumReader<GenericRecord>(TrainingBaseline.getClassSchema()).read(null,
                DecoderFactory.get().jsonDecoder(TrainingBaseline.getClassSchema(), in));
        }
        assertThat(baseline.get("rowCount")).isEqualTo((long) ROWS);
        final GenericRecord u = feature(baseline, "u");
        assertThat(u.get("count")).isEqualTo((long) ROWS);
        assertThat(u.get("min")).isEqualTo(0.0);
        assertThat(u.get("max")).isEqualTo(999.0);
        // Edges from the sketch: near the exact deciles (99, 199, ...), within its rank error of 1.3 % (13 values).
        final List<Double> edges = doubles(u.get("binEdges"));
        assertThat(edges).hasSize(9);
        for (int i = 0; i < edges.size(); i++) {
            assertThat(edges.get(i)).isCloseTo(100.0 * (i + 1) - 1, within(20.0));
        }
        // The bins counted exactly over the file: each integer is 1/1000 of the rows.
        final List<Double> proportions = doubles(u.get("binProportions"));
        assertThat(proportions).hasSize(10);
        double previous = -1;
        for (int i = 0; i < proportions.size(); i++) {
            final double edge = i < edges.size() ? edges.get(i) : 999;
            assertThat(proportions.get(i)).as("bin %d", i).isCloseTo((edge - previous) / 1000, within(1e-12));
            previous = edge;
        }
        final GenericRecord v = feature(baseline, "v");
        assertThat(v.get("missingCount")).isEqualTo((long) ROWS / 1000);
        assertThat((double) v.get("mean")).isCloseTo(0.0, within(0.05));
        assertThat((double) v.get("stddev")).isCloseTo(10.0, within(0.05));
        final GenericRecord city = feature(baseline, "city");
        final Map<String, Double> categories = new TreeMap<>();
        ((Map<?, ?>) city.get("categories")).forEach((name, share) -> categories.put(name.toString(), (Double) share));
        assertThat(categories).containsOnlyKeys("Boston", "Salem, MA", "Lowell")
            .allSatisfy((name, share) -> assertThat(share).isCloseTo(1.0 / 3, within(1e-12)));
    }

    @Test
    void comparesTrainingSetsLargerThanTheHeap() throws Exception {
        final Path shifted = dir.resolve("shifted.csv");
        write(shifted, ROWS / 4, 300, 2);
        final Path log = dir.resolve("compare.log");

        final Process process = monitml(log, "compare", "--reference", training.toString(), "--current", shifted.toString(),
            "--categorical", "city", "--format", "json");

        assertThat(finish(process, log)).isZero();
        final String output = Files.readString(log);
        final JsonNode result = new ObjectMapper().readTree(output.substring(output.indexOf('{')));
        final List<String> drifted = new ArrayList<>();
        result.get("columns").forEach(column -> {
            if (column.get("drifted").asBoolean()) {
                drifted.add(column.get("name").asText());
            }
        });
        assertThat(result.get("columns")).hasSize(4);
        assertThat(drifted).as(output).containsExactly("u");
        final JsonNode v = result.get("columns").get(1);
        assertThat(v.get("referenceMissing").asLong()).isEqualTo(ROWS / 1000);
        assertThat(v.get("currentCount").asLong() + v.get("currentMissing").asLong()).isEqualTo(ROWS / 4);
    }

    private static GenericRecord feature(final GenericRecord baseline, final String name) {
        return ((List<?>) baseline.get("features")).stream().map(GenericRecord.class::cast)
            .filter(feature -> feature.get("name").toString().equals(name)).findFirst().orElseThrow();
    }

    private static List<Double> doubles(final Object array) {
        return ((List<?>) array).stream().map(Double.class::cast).toList();
    }
}
