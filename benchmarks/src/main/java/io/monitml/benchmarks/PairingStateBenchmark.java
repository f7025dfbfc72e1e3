package io.monitml.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.monitml.config.Defaults;
import io.monitml.app.MonitMlApplication;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.Topics;
import io.monitml.config.TopologySettings;
import io.monitml.topology.Names;
import io.monitml.topology.PipelineListener;

import picocli.CommandLine;

/**
 * The pairing store under live traffic (issue 16): inferences produced at a steady rate with event
 * times that follow the clock, a share of their responses never sent, and the store's entries and
 * bytes on disk sampled while MonitML pairs them. The answered inferences leave the store within a
 * commit interval; each lone request waits the pairing wait, so the store should hold about
 * rate × share × wait entries, and its files grow with that, not with the traffic so far.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.monitml.benchmarks.PairingStateBenchmark [--rates 1000,2000]
 * [--seconds 60] [--wait 20s] [--missing 0.1] [--output-dir DIR]}. Writes
 * {@code pairing-state-<time>.json}; exits 1 when a run's pending entries are not within a factor of two
 * of rate × share × wait.
 */
public final class PairingStateBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int PARTITIONS = 2;

    private PairingStateBenchmark() {
    }

    record Sample(double second, long pending, long storeBytes) {
    }

    record Run(int rate, double missing, long waitMillis, long sent, long unanswered, List<Sample> samples, long steadyPending,
               long expectedPending, long storeBytes, double bytesPerPending) {

        /** Whether the pending entries in steady traffic are within a factor of two of rate × share unanswered × wait. */
        boolean proportional() {
            return steadyPending * 2 >= expectedPending && steadyPending <= 2 * expectedPending;
        }
    }

    public static void main(final String[] args) throws Exception {
        System.exit(execute(args).stream().allMatch(Run::proportional) ? 0 : 1);
    }

    /** The command line. */
    @CommandLine.Command(name = "PairingStateBenchmark", description = "The pairing store under live traffic with lone requests.")
    static final class Command {
        @CommandLine.Option(names = "--rates", split = ",", converter = Flags.IntCountConverter.class, description = "Inferences per second, one run each.")
        List<Integer> rates = List.of(1_000, 2_000);
        @CommandLine.Option(names = "--seconds", description = "Length of each run.")
        int seconds = 60;
        @CommandLine.Option(names = "--wait", converter = Flags.DurationConverter.class, description = "The pairing wait.")
        Duration wait = Duration.ofSeconds(20);
        @CommandLine.Option(names = "--missing", paramLabel = "SHARE", description = "Share of the responses never sent.")
        double missing = 0.1;
        @CommandLine.Option(names = "--output-dir", description = "Where the results file goes.")
        Path output = Paths.get("benchmarks", "results");
    }

    /** Runs the benchmark the arguments describe, writes its results file and returns its runs. */
    static List<Run> execute(final String[] args) throws Exception {
        final Command command = Flags.parse(new Command(), args);
        final List<Integer> rates = List.copyOf(command.rates);
        final int seconds = command.seconds;
        final Duration wait = command.wait;
        final double missing = command.missing;
        final Path output = command.output;
        final Path work = Files.createTempDirectory("monitml-pairing-state");
        final Process broker = BenchmarkBroker.start(work.resolve("broker"));
        final List<Run> runs = new ArrayList<>();
        try {
            final String[] ready = BenchmarkBroker.await(broker, work);
            for (int rate : rates) {
                final Run run = run(ready[1], ready[2], work, rate, seconds, wait, missing);
                runs.add(run);
                System.err.printf("rate %,d/s, %.0f %% unanswered, wait %d s: pending %,d (expected %,d), pairing store %,d bytes, "
                        + "%.0f bytes per pending inference%n", rate, missing * 100, wait.toSeconds(), run.steadyPending(),
                    run.expectedPending(), run.storeBytes(), run.bytesPerPending());
            }
        } finally {
            BenchmarkBroker.stop(broker);
        }
        Files.createDirectories(output);
        final Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", Measure.machine());
        document.put("runs", runs);
        final Path file = output.resolve("pairing-state-" + Instant.now().toString().substring(0, 16).replace(":", "") + "Z.json");
        JSON.writeValue(file.toFile(), document);
        System.err.println("results: " + file);
        return runs;
    }

    private static Run run(final String servers, final String registry, final Path work, final int rate, final int seconds,
                           final Duration wait, final double missing) throws Exception {
        final String id = "monitml-pairing-state-" + rate + "-" + Long.toString(System.currentTimeMillis(), 36);
        final String topic = "bench-paced-" + id;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) -1))).all().get();
        }
        final Topics topics = new Topics(Topics.DEFAULT_RAW + "-" + id, Topics.DEFAULT_DEAD_LETTER + "-" + id,
            Topics.DEFAULT_PREDICTION_STATS + "-" + id, Topics.DEFAULT_DRIFT + "-" + id, Topics.DEFAULT_BASELINES, "");
        final TopologySettings topology = new TopologySettings(topics, new TopologySettings.Sources(topic, null), Duration.ofMinutes(1),
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofDays(1), new TopologySettings.Pairing(true, wait),
            Defaults.drift(), Defaults.limits());
        final Map<String, Long> pending = new ConcurrentHashMap<>();
        final PipelineListener listener = new PipelineListener() {
            @Override
            public void pairingPending(final String task, final long rows) {
                pending.put(task, rows);
            }
        };
        final Path dataDir = work.resolve(id);
        final Random random = new Random(7);
        final List<Sample> samples = new ArrayList<>();
        long sent = 0;
        long unanswered = 0;
        try (MonitMlApplication app = MonitMlApplication.start(MonitMlConfig.builder().bootstrapServers(servers)
                .schemaRegistryUrl(registry).applicationId(id).dataDir(dataDir).http("127.0.0.1", 0).embeddedPorts(0, 0).topology(topology)
                .ingest(new MonitMlConfig.Ingest(false, 1 << 20)).topics(true, PARTITIONS, (short) -1).build(), listener);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                 ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
            final String request = "{\"data\":{\"names\":[\"crim\",\"zn\",\"indus\",\"chas\",\"nox\",\"rm\",\"age\",\"dis\",\"rad\",\"tax\","
                + "\"ptratio\",\"b\",\"lstat\"],\"ndarray\":[[0.00632,18.0,2.31,0.0,0.538,6.575,65.2,4.09,1.0,296.0,15.3,396.9,4.98]]}}";
            final String response = "{\"data\":{\"names\":[\"medv\"],\"ndarray\":[[24000.0]]},\"meta\":{}}";
            // The pace starts when the application processes, so that the run's last third is its steady state.
            awaitRunning(app);
            final long start = System.nanoTime();
            final long end = start + Duration.ofSeconds(seconds).toNanos();
            long nextSample = start + 1_000_000_000L;
            for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                // Paced: as many inferences as the rate allows by now, event times from the clock.
                final long due = (now - start) * rate / 1_000_000_000L;
                for (; sent < due; sent++) {
                    final String requestId = id + "-" + sent;
                    final byte[] key = requestId.getBytes(StandardCharsets.UTF_8);
                    final long time = System.currentTimeMillis();
                    producer.send(Workload.v1Record(topic, key, Workload.SELDON_REQUEST, requestId, "v1", request, time));
                    if (random.nextDouble() < missing) {
                        unanswered++;
                    } else {
                        producer.send(Workload.v1Record(topic, key, Workload.SELDON_RESPONSE, requestId, "v1", response,
                            time + 5));
                    }
                }
                if (now >= nextSample) {
                    samples.add(new Sample((now - start) / 1e9, pending.values().stream().mapToLong(Long::longValue).sum(),
                        storeBytes(dataDir)));
                    nextSample += 1_000_000_000L;
                }
                Thread.sleep(1);
            }
        }
        // Steady state: the last third of the run, when every lone request waits the whole wait.
        final List<Sample> steady = samples.subList(samples.size() * 2 / 3, samples.size());
        final long steadyPending = Math.round(steady.stream().mapToLong(Sample::pending).average().orElse(0));
        final long storeBytes = steady.stream().mapToLong(Sample::storeBytes).max().orElse(0);
        final long expected = Math.round(rate * missing * wait.toMillis() / 1000.0);
        return new Run(rate, missing, wait.toMillis(), sent, unanswered, samples, steadyPending, expected, storeBytes,
            steadyPending == 0 ? 0 : (double) storeBytes / steadyPending);
    }

    private static void awaitRunning(final MonitMlApplication app) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (app.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the application did not reach RUNNING in 2 minutes: " + app.state());
            }
            Thread.sleep(50);
        }
    }

    /** The bytes of the pairing store's directories (one per task); RocksDB renames files as it goes, so a walk that loses one retries. */
    private static long storeBytes(final Path dataDir) {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                return paths.filter(Files::isRegularFile)
                    .filter(p -> p.toString().contains(java.io.File.separator + Names.PAIRING_STORE + java.io.File.separator))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (java.io.IOException gone) {
                            return 0;
                        }
                    }).sum();
            } catch (java.io.IOException | java.io.UncheckedIOException moved) {
                if (attempt == 5) {
                    return 0;
                }
            }
        }
    }
}
