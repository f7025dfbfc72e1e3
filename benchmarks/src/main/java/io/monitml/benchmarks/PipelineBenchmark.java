package io.monitml.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.monitml.config.Defaults;
import io.monitml.aggregate.FeatureWindow;
import io.monitml.app.MonitMlApplication;
import io.monitml.avro.FeaturePartial;
import io.monitml.avro.PredictionStats;
import io.monitml.avro.TrainingBaseline;
import io.monitml.baseline.BaselinePublisher;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.Topics;
import io.monitml.config.TopologySettings;
import io.monitml.demo.BostonHousing;
import io.monitml.demo.DemoBaseline;
import io.monitml.demo.LinearModel;
import io.monitml.drift.DriftCalculator;
import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.RowBatch;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.DriftRecords;
import io.monitml.topology.PipelineListener;

import picocli.CommandLine;

/**
 * End-to-end throughput of MonitML through a real broker (issue 8). For each input size it
 * pre-loads N inferences in the Seldon v1 direct Kafka logger format (a request and a response
 * record per inference, the demo's Boston features, variants v1/v2 at 75/25, event times spread
 * over {@value #WINDOWS} one-minute windows) into a 2-partition topic, then reads that topic three
 * ways: (a) a plain byte-array consumer, the ceiling; (b) the same parsing every JSON body into a
 * Jackson tree; (c) the whole MonitML pipeline from an empty state until every window has closed on
 * {@code monitml.prediction-stats}, with one and with two application instances (both in this JVM).
 * Writes a JSON result file and a PNG chart. Run {@code benchmarks/pipeline.sh}.
 */
public final class PipelineBenchmark {

    static final int WINDOWS = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final String NAMESPACE = "seldon";
    static final String DEPLOYMENT = "housing";
    static final String MODEL = "classifier";
    static final int PARTITIONS = 2;
    /**
     * The first event time: recent, because a broker deletes records older than its retention
     * (seven days by default) by their timestamps, even while they are being read.
     */
    private static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(2));
    private static final Duration PATIENCE = Duration.ofMinutes(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to run. */
    record Options(List<Long> sizes, List<Integer> instances, String bootstrapServers, String registryUrl, Path outputDir,
                   Path workDir, List<String> guarantees, int driftRepeats, Duration grace,
                   Map<String, String> kafka, boolean pairing, boolean joinedRows, boolean keyed) {
    }

    /**
     * The measurements of one phase: records read per second, process CPU seconds, the peak of the heap
     * in use (sampled every 100 ms, garbage included) and the largest heap left after a collection
     * (the live set, what "heap flat" is about).
     */
    record Phase(double seconds, double recordsPerSecond, double cpuSeconds, long peakHeapBytes, long peakHeapAfterGcBytes) {
    }

    /** One row of the results: one size, one instance count. */
    record Row(long inferences, long records, int instances, String guarantee, Phase plainConsumer, Phase jsonConsumer,
               Phase pipeline, double pipelineOverPlain, double pipelineOverJson, double secondsToRunning,
               double secondsIncludingStart, int windowsExpected,
               int windowsSeen, long responsesExpected, long responsesCounted, long late, long deadLettered, long liveHeapBytes,
               long stateStoreBytes,
               long largestWindowRows, long aggregateBytes, double driftMillisMedian) {

        /** Whether the pipeline closed every window with every response counted, none late and none dead-lettered. */
        boolean complete() {
            return windowsSeen == windowsExpected && responsesCounted == responsesExpected && late == 0 && deadLettered == 0;
        }
    }

    private PipelineBenchmark() {
    }

    /** What a benchmark run wrote: its rows, the results file and the chart. */
    record Report(List<Row> rows, Path results, Path chart) {
    }

    public static void main(final String[] args) throws Exception {
        final Report report = execute(args);
        System.out.println(table(report.rows()));
        System.out.println("results: " + report.results() + ", chart: " + report.chart());
        boolean complete = true;
        for (Row row : report.rows()) {
            if (!row.complete()) {
                System.err.printf("INCOMPLETE: %,d inferences x%d %s: %d/%d windows, %,d/%,d responses, %,d late, %,d dead letters%n",
                    row.inferences(), row.instances(), row.guarantee(), row.windowsSeen(), row.windowsExpected(), row.responsesCounted(),
                    row.responsesExpected(), row.late(), row.deadLettered());
                complete = false;
            }
        }
        System.exit(complete ? 0 : 1);
    }

    /** Runs the benchmark the arguments describe and writes its results file and chart. */
    static Report execute(final String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        final Options options = parse(args);
        final List<Row> rows = run(options);
        final Path json = writeResults(options, rows);
        final Path png = options.outputDir().resolve("pipeline.png");
        PipelineChart.draw(rows, png);
        return new Report(rows, json, png);
    }

    /** The command line: options, then the sizes in inferences. */
    @CommandLine.Command(name = "PipelineBenchmark", description = "MonitML end to end through a real broker, per input size.")
    static final class Command {
        @CommandLine.Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "A real cluster instead of the embedded broker.")
        String servers = "";
        @CommandLine.Option(names = "--schema-registry-url", paramLabel = "URL", description = "Its schema registry.")
        String registry = "";
        @CommandLine.Option(names = "--instances", split = ",", description = "Instance counts to run, e.g. 1,2.")
        List<Integer> instances = List.of(1, 2);
        @CommandLine.Option(names = "--processing-guarantee", split = ",", description = "exactly_once_v2, at_least_once or both.")
        List<String> guarantees = List.of("exactly_once_v2");
        @CommandLine.Option(names = "--drift-repeats", description = "Repeats of the drift computation timed at window close.")
        int driftRepeats = 51;
        // A pre-loaded backlog is a replay; the whole span plus a window is always enough grace, and the trailing records
        // close everything.
        @CommandLine.Option(names = "--grace", converter = Flags.DurationConverter.class, description = "The windows' grace.")
        Duration grace = WINDOW.multipliedBy(WINDOWS + 1);
        @CommandLine.Option(names = "--kafka", paramLabel = "KEY=VALUE", description = "Any Kafka Streams or client setting, repeatable.")
        Map<String, String> kafka = new LinkedHashMap<>();
        @CommandLine.Option(names = "--pairing", arity = "1", description = "The pairing branch on or off.")
        boolean pairing = true;
        @CommandLine.Option(names = "--joined-rows", arity = "1", description = "Write monitml.inferences, or only measure latency.")
        boolean joinedRows = true;
        @CommandLine.Option(names = "--keyed", arity = "1", description = "Input keyed by request id, or unkeyed as Seldon's v1 logger writes.")
        boolean keyed = true;
        @CommandLine.Option(names = "--output-dir", description = "Where the results file and the chart go.")
        Path output = Paths.get("benchmarks", "results");
        @CommandLine.Option(names = "--work-dir", description = "The broker's and the instances' data; a new temporary directory if not given.")
        Path work;
        @CommandLine.Parameters(paramLabel = "SIZES", converter = Flags.CountConverter.class, description = "Inferences per run.")
        List<Long> sizes = new ArrayList<>();
    }

    static Options parse(final String[] args) throws IOException {
        final Command command = Flags.parse(new Command(), args);
        final List<Long> sizes = command.sizes.isEmpty() ? List.of(100_000L, 1_000_000L) : List.copyOf(command.sizes);
        if (command.servers.isEmpty() != command.registry.isEmpty()) {
            throw new IllegalArgumentException("give both --bootstrap-servers and --schema-registry-url, or neither (embedded)");
        }
        final Path work = command.work == null ? Files.createTempDirectory("monitml-pipeline-bench") : command.work;
        return new Options(sizes, List.copyOf(command.instances), command.servers, command.registry, command.output, work,
            List.copyOf(command.guarantees), command.driftRepeats, command.grace, Map.copyOf(command.kafka), command.pairing,
            command.joinedRows, command.keyed);
    }

    static List<Row> run(final Options options) throws Exception {
        final List<Row> rows = new ArrayList<>();
        Process broker = null;
        try {
            String servers = options.bootstrapServers();
            String registry = options.registryUrl();
            if (servers.isEmpty()) {
                broker = startBroker(options.workDir().resolve("broker"));
                final String[] ready = awaitBroker(broker, options.workDir());
                servers = ready[1];
                registry = ready[2];
            }
            // The demo's training baseline, so that every closed window gets a real drift report.
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                if (!admin.listTopics().names().get().contains(Topics.DEFAULT_BASELINES)) {
                    admin.createTopics(List.of(new NewTopic(Topics.DEFAULT_BASELINES, 1, (short) -1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
                }
            }
            BaselinePublisher.publish(servers, new SchemaRegistryClient(registry), Topics.DEFAULT_BASELINES,
                DemoBaseline.spec().key(), DemoBaseline.build(Instant.now()));
            final String run = Long.toString(System.currentTimeMillis(), 36);
            for (long size : options.sizes()) {
                final String bootstrap = servers;
                final String topic = "bench-seldon-" + size + "-" + run;
                final Workload workload = Workload.preload(servers, topic, size, options.keyed());
                System.err.printf("%,d inferences (%,d records) in %s, produced in %.1f s%n", size, workload.records(), topic,
                    workload.produceSeconds());
                final Phase plain = measure(() -> readAll(bootstrap, topic, workload.records(), false));
                System.err.printf("(a) plain consumer: %,.0f records/s%n", plain.recordsPerSecond());
                final Phase parsed = measure(() -> readAll(bootstrap, topic, workload.records(), true));
                System.err.printf("(b) consumer + JSON: %,.0f records/s%n", parsed.recordsPerSecond());
                final AggregateCost aggregate = AggregateCost.of(workload.largestWindowRows(), options.driftRepeats());
                for (String guarantee : options.guarantees()) {
                    for (int instances : options.instances()) {
                        final PipelineRun result = runPipeline(servers, registry, topic, workload, instances, guarantee, options, run);
                        System.err.printf("(c) MonitML x%d %s: %,.0f records/s, %d/%d windows, %,d/%,d responses counted%n", instances,
                            guarantee, result.phase().recordsPerSecond(), result.windowsSeen(), workload.expectedWindows(),
                            result.responsesCounted(), workload.responses());
                        rows.add(new Row(size, workload.records(), instances, guarantee, plain, parsed, result.phase(),
                            result.phase().recordsPerSecond() / plain.recordsPerSecond(),
                            result.phase().recordsPerSecond() / parsed.recordsPerSecond(), result.secondsToRunning(),
                            result.totalSeconds(), workload.expectedWindows(), result.windowsSeen(), workload.responses(),
                            result.responsesCounted(), result.late(), result.deadLettered(), result.liveHeapBytes(), result.stateBytes(), workload.largestWindowRows(), aggregate.bytes(),
                            aggregate.driftMillisMedian()));
                    }
                }
            }
        } finally {
            if (broker != null) {
                stopBroker(broker);
            }
        }
        return rows;
    }

    /** Waits for the broker's READY line; returns it split: {@code READY servers registryUrl}. */
    static String[] awaitBroker(final Process broker, final Path workDir) throws IOException {
        final String line = new java.io.BufferedReader(new java.io.InputStreamReader(broker.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        final String[] ready = line == null ? new String[0] : line.split(" ");
        if (ready.length != 3 || !ready[0].equals(BenchmarkBroker.READY)) {
            throw new IllegalStateException("the benchmark broker did not start; see " + workDir.resolve("broker.log"));
        }
        return ready;
    }

    /** Closes the broker's standard input, which stops it, and waits for it (at most a minute). */
    static void stopBroker(final Process broker) throws IOException, InterruptedException {
        broker.getOutputStream().close();
        if (!broker.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            broker.destroyForcibly();
        }
    }

    /** The embedded broker in a JVM of its own (1 GiB heap), so that this JVM's heap and CPU are MonitML's. */
    static Process startBroker(final Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        final Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        final Process broker = new ProcessBuilder(java.toString(), "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            BenchmarkBroker.class.getName(), dataDir.toString())
            .redirectError(dataDir.resolveSibling("broker.log").toFile())
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroyForcibly, "stop-benchmark-broker"));
        return broker;
    }

    // ---------------------------------------------------------------------------------------------
    // The workload

    /** The pre-loaded topic: how many records, how many windows the pipeline must close. */
    record Workload(String topic, long inferences, long records, long responses, int expectedWindows, long largestWindowRows,
                    Instant end, double produceSeconds) {

        static Workload preload(final String servers, final String topic, final long inferences, final boolean keyed)
            throws Exception {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) -1).configs(Map.of("retention.ms", "-1")))).all().get();
            }
            final BostonHousing data = BostonHousing.load();
            final LinearModel model = LinearModel.fit(data);
            final String names = names(data.featureNames());
            final Random random = new Random(42);
            final long spanMillis = WINDOW.toMillis() * WINDOWS;
            final Map<String, Long> rowsPerWindow = new HashMap<>();
            final long start = System.nanoTime();
            long records = 0;
            long responsesInSpan = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(servers),
                new ByteArraySerializer(), new ByteArraySerializer())) {
                final StringBuilder body = new StringBuilder(512);
                for (long i = 0; i < inferences; i++) {
                    final long eventTime = T0.toEpochMilli() + i * spanMillis / inferences;
                    final boolean canary = random.nextInt(4) == 0;
                    final String variant = canary ? "v2" : "v1";
                    final String requestId = "req-" + i;
                    final double[] row = data.row(random.nextInt(data.size()));
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= 1 + 0.02 * random.nextGaussian();
                    }
                    final double prediction = canary ? 100.0 : model.predict(row) * 1000;
                    body.setLength(0);
                    body.append("{\"data\":{\"names\":").append(names).append(",\"ndarray\":[[");
                    appendValues(body, row);
                    body.append("]]},\"meta\":{}}");
                    // Keyed by request id, as MonitML's ingest endpoint writes (both halves in one partition: they pair
                    // in place); unkeyed, as Seldon Core v1's direct Kafka logger writes (they cross the repartition).
                    final byte[] key = keyed ? requestId.getBytes(StandardCharsets.UTF_8) : null;
                    producer.send(v1Record(topic, key, SELDON_REQUEST, requestId, variant, body.toString(), eventTime));
                    body.setLength(0);
                    body.append("{\"data\":{\"names\":[\"medv\"],\"ndarray\":[[").append(prediction).append("]]},\"meta\":{}}");
                    final long responseTime = eventTime + (canary ? 2 : 20);
                    producer.send(v1Record(topic, key, SELDON_RESPONSE, requestId, variant, body.toString(), responseTime));
                    if (responseTime < T0.toEpochMilli() + spanMillis) {
                        responsesInSpan++; // the last few fall into the window after the span, which is not counted
                    }
                    records += 2;
                    rowsPerWindow.merge(variant + "@" + (eventTime - T0.toEpochMilli()) / WINDOW.toMillis(), 1L, Long::sum);
                }
                producer.flush();
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            final long largest = rowsPerWindow.values().stream().mapToLong(Long::longValue).max().orElse(0);
            return new Workload(topic, inferences, records, responsesInSpan, rowsPerWindow.size(), largest,
                T0.plusMillis(spanMillis), seconds);
        }

        /**
         * Far ahead in event time, on every partition and for both variants: closes the last windows. Sent
         * only once the pipeline has read all the data: read earlier, one partition's closing record
         * would close windows the other partition has not delivered yet. They go to this run's own
         * second input topic (the CloudEvents one; the decoder tells the formats apart by their headers),
         * so that the pre-loaded topic stays the same for every run that reads it.
         */
        void sendClosingRecords(final String servers, final String rawTopic) {
            final BostonHousing data = BostonHousing.load();
            final String names = names(data.featureNames());
            final long closing = end.toEpochMilli() + Duration.ofHours(1).toMillis();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(servers),
                new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    for (String variant : List.of("v1", "v2")) {
                        final String requestId = "closing-" + partition + "-" + variant;
                        final String request = "{\"data\":{\"names\":" + names + ",\"ndarray\":[[" + join(data.row(0)) + "]]}}";
                        final String response = "{\"data\":{\"names\":[\"medv\"],\"ndarray\":[[1.0]]}}";
                        for (ProducerRecord<byte[], byte[]> record : List.of(
                            v1Record(rawTopic, null, SELDON_REQUEST, requestId, variant, request, closing),
                            v1Record(rawTopic, null, SELDON_RESPONSE, requestId, variant, response, closing + 1))) {
                            producer.send(new ProducerRecord<>(rawTopic, partition, record.timestamp(), null, record.value(), record.headers()));
                        }
                    }
                }
                producer.flush();
            }
        }

        private static Map<String, Object> producerSettings(final String servers) {
            final Map<String, Object> settings = new HashMap<>();
            settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            settings.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
            settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
            settings.put(ProducerConfig.ACKS_CONFIG, "1");
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            return settings;
        }
    }

    static final int CLOSING_RECORDS = PARTITIONS * 2 * 2;
    static final String SELDON_REQUEST = "io.seldon.serving.inference.request";
    static final String SELDON_RESPONSE = "io.seldon.serving.inference.response";

    /** A record as Seldon Core v1's executor logs it straight to Kafka: bare headers, the record timestamp as event time. */
    static ProducerRecord<byte[], byte[]> v1Record(final String topic, final byte[] key, final String type, final String requestId,
                                                   final String variant, final String body, final long timestamp) {
        final RecordHeaders headers = new RecordHeaders();
        headers.add("type", utf8(type));
        headers.add("requestid", utf8(requestId));
        headers.add("inferenceservicename", utf8(DEPLOYMENT));
        headers.add("endpoint", utf8(variant));
        headers.add("modelid", utf8(MODEL));
        headers.add("namespace", utf8(NAMESPACE));
        headers.add("content-type", utf8("application/json"));
        return new ProducerRecord<>(topic, null, timestamp, key, utf8(body), headers);
    }

    private static String names(final List<String> names) {
        final StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "\"" : ",\"").append(names.get(i)).append('"');
        }
        return out.append(']').toString();
    }

    private static void appendValues(final StringBuilder out, final double[] values) {
        for (int j = 0; j < values.length; j++) {
            if (j > 0) {
                out.append(',');
            }
            // Four decimals, as a logger would send a float32 row.
            out.append(Math.round(values[j] * 10_000) / 10_000.0);
        }
    }

    private static String join(final double[] values) {
        final StringBuilder out = new StringBuilder();
        appendValues(out, values);
        return out.toString();
    }

    private static byte[] utf8(final String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------
    // (a) and (b): plain consumers

    private static long readAll(final String servers, final String topic, final long expected, final boolean parse) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long read = 0;
        long checksum = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (read < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read only " + read + " of " + expected + " records of " + topic);
                }
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    read++;
                    if (parse) {
                        try {
                            final JsonNode tree = JSON.readTree(record.value());
                            checksum += tree.path("data").path("ndarray").size();
                        } catch (IOException e) {
                            throw new IllegalStateException("a body that is not JSON at offset " + record.offset(), e);
                        }
                    } else {
                        checksum += record.value().length;
                    }
                }
            }
        }
        if (checksum == 0) {
            throw new IllegalStateException("nothing read from " + topic);
        }
        return read;
    }

    // ---------------------------------------------------------------------------------------------
    // (c): the pipeline

    /**
     * One pipeline run. Its phase's rate counts from the moment every instance is RUNNING (start-up is
     * {@code benchmarks/startup.sh}'s subject) to the moment the stream threads have read the last input
     * record; {@code totalSeconds} runs from the start until the last window is published on the
     * statistics topic (after the closing records); CPU and heap cover the whole run.
     */
    record PipelineRun(Phase phase, double secondsToRunning, double totalSeconds, int windowsSeen, long responsesCounted, long late,
                       long deadLettered, long liveHeapBytes, long stateBytes) {
    }

    private static PipelineRun runPipeline(final String servers, final String registry, final String topic, final Workload workload,
                                           final int instances, final String guarantee, final Options options, final String run)
        throws Exception {
        final String applicationId = "monitml-bench-" + workload.inferences() + "-x" + instances + "-"
            + guarantee.replace('_', '-') + "-" + run;
        final Topics topics = new Topics(Topics.DEFAULT_RAW + "-" + applicationId, Topics.DEFAULT_DEAD_LETTER + "-" + applicationId,
            Topics.DEFAULT_PREDICTION_STATS + "-" + applicationId, Topics.DEFAULT_DRIFT + "-" + applicationId,
            Topics.DEFAULT_BASELINES, options.joinedRows() ? Topics.DEFAULT_INFERENCES + "-" + applicationId : "");
        final TopologySettings topology = new TopologySettings(topics, new TopologySettings.Sources(topic, null), WINDOW,
            options.grace(), Duration.ofSeconds(1), Duration.ofDays(1), new TopologySettings.Pairing(options.pairing(), Duration.ofSeconds(60)),
            Defaults.drift(), Defaults.limits());
        final List<Path> dataDirs = new ArrayList<>();
        final List<MonitMlApplication> apps = new ArrayList<>();
        final Map<String, Long> responses = new HashMap<>();
        final Set<String> windows = new HashSet<>();
        final Counting counting = new Counting();
        final long[] runningAt = {0};
        final long[] firstRunningAt = {0};
        final long[] inputDoneAt = {0};
        final long[] pairedSeen = {0};
        final long[] liveHeap = {0};
        final boolean[] halfway = {false};
        final long[] lastPairedAt = {0};
        final long[] startedAt = {0};
        final long[] doneAt = {0};
        final Phase whole;
        try {
            whole = measure(() -> {
                startedAt[0] = System.nanoTime();
                for (int i = 0; i < instances; i++) {
                    final Path dataDir = options.workDir().resolve(applicationId + "-" + i);
                    dataDirs.add(dataDir);
                    apps.add(MonitMlApplication.start(MonitMlConfig.builder().bootstrapServers(servers)
                        .schemaRegistryUrl(registry).applicationId(applicationId).dataDir(dataDir).http("127.0.0.1", 0).embeddedPorts(0, 0)
                        .topology(topology).ingest(new MonitMlConfig.Ingest(false, 1 << 20)).processingGuarantee(guarantee)
                        .topics(true, PARTITIONS, (short) -1).kafka(options.kafka()).build(), counting));
                }
                final boolean[] closed = {false};
                // The closing records wait until every partial of the data has been flushed (a flush
                // interval runs on wall-clock time) and merged: read earlier, one task's closing partial could
                // close a window another task's last partial has not reached yet.
                final long flushWait = topology.flushInterval().multipliedBy(3).toNanos();
                awaitWindows(registry, servers, topics.predictionStats(), workload, windows, responses, () -> {
                    final long now = System.nanoTime();
                    if (firstRunningAt[0] == 0 && apps.stream().anyMatch(a -> a.state() == KafkaStreams.State.RUNNING)) {
                        firstRunningAt[0] = now;
                    }
                    if (runningAt[0] == 0 && apps.stream().allMatch(a -> a.state() == KafkaStreams.State.RUNNING)) {
                        runningAt[0] = now;
                    }
                    // Done when every record has been read and the pairing branch (repartition by request id,
                    // pairing store, inferences topic, latency partials) has paired every inference or made no
                    // progress for three flush intervals (a replay can leave a few halves to expire later).
                    if (!halfway[0] && counting.recordsIn.sum() >= workload.records() / 2) {
                        halfway[0] = true;
                        liveHeap[0] = Math.max(liveHeap[0], liveHeap());
                    }
                    final long paired = counting.paired.sum();
                    if (paired != pairedSeen[0]) {
                        pairedSeen[0] = paired;
                        lastPairedAt[0] = now;
                    }
                    if (inputDoneAt[0] == 0 && counting.recordsIn.sum() >= workload.records()) {
                        if (!options.pairing()) {
                            inputDoneAt[0] = now;
                        } else if (paired >= workload.inferences() || now - lastPairedAt[0] >= flushWait) {
                            inputDoneAt[0] = lastPairedAt[0];
                        }
                    }
                    if (!closed[0] && inputDoneAt[0] != 0 && now - Math.max(inputDoneAt[0], lastPairedAt[0]) >= flushWait) {
                        workload.sendClosingRecords(servers, topics.raw());
                        closed[0] = true;
                    }
                });
                doneAt[0] = System.nanoTime();
                liveHeap[0] = Math.max(liveHeap[0], liveHeap());
                return workload.records();
            });
        } finally {
            for (MonitMlApplication app : apps) {
                app.close();
            }
        }
        long stateBytes = 0;
        for (Path dataDir : dataDirs) {
            stateBytes += directorySize(dataDir.resolve("streams"));
        }
        System.err.println("pipeline counters: " + counting);
        // From every instance RUNNING; from the first when a small input was done before the last one joined.
        final long from = inputDoneAt[0] > runningAt[0] ? runningAt[0] : firstRunningAt[0];
        final double seconds = Math.max(inputDoneAt[0] - from, 1_000_000L) / 1e9;
        final Phase phase = new Phase(seconds, workload.records() / seconds, whole.cpuSeconds(), whole.peakHeapBytes(),
            whole.peakHeapAfterGcBytes());
        return new PipelineRun(phase, (runningAt[0] - startedAt[0]) / 1e9, (doneAt[0] - startedAt[0]) / 1e9, windows.size(),
            responses.values().stream().mapToLong(Long::longValue).sum(), counting.late.sum(), counting.deadLettered.sum(), liveHeap[0],
            stateBytes);
    }

    /** Counts what the pipeline reports: records read, late records, dead letters. */
    static final class Counting implements PipelineListener {
        final java.util.concurrent.atomic.LongAdder recordsIn = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder late = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder deadLettered = new java.util.concurrent.atomic.LongAdder();

        @Override
        public void recordIn(final String topic) {
            recordsIn.increment();
        }

        final Map<String, java.util.concurrent.atomic.LongAdder> lateByStage = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.atomic.LongAdder paired = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder unpaired = new java.util.concurrent.atomic.LongAdder();

        @Override
        public void late(final String stage) {
            late.increment();
            lateByStage.computeIfAbsent(stage, k -> new java.util.concurrent.atomic.LongAdder()).increment();
        }

        @Override
        public void paired() {
            paired.increment();
        }

        @Override
        public void unpaired(final String side) {
            unpaired.increment();
        }

        @Override
        public String toString() {
            return String.format("records in %,d, paired %,d, unpaired %,d, late %s, dead letters %,d", recordsIn.sum(), paired.sum(),
                unpaired.sum(), lateByStage, deadLettered.sum());
        }

        @Override
        public void deadLettered(final String reason, final String stage) {
            deadLettered.increment();
        }
    }

    /** Reads the statistics topic until every window of the workload has been published. */
    private static void awaitWindows(final String registry, final String servers, final String statsTopic, final Workload workload,
                                     final Set<String> windows, final Map<String, Long> responses, final Runnable onPoll) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + System.nanoTime());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000);
        try (KafkaConsumer<String, PredictionStats> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
            new AvroDeserializer<>(PredictionStats.class, new SchemaRegistryClient(registry), false))) {
            consumer.subscribe(List.of(statsTopic));
            final long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (windows.size() < workload.expectedWindows()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + windows.size() + " of " + workload.expectedWindows()
                        + " windows closed within " + PATIENCE);
                }
                onPoll.run();
                for (ConsumerRecord<String, PredictionStats> record : consumer.poll(Duration.ofMillis(100))) {
                    final PredictionStats stats = record.value();
                    if (stats.getWindowStart().isBefore(workload.end())) {
                        final String window = stats.getUnit().getVariant() + "@" + stats.getWindowStart();
                        windows.add(window);
                        responses.put(window, stats.getResponses());
                    }
                }
            }
        }
    }

    static long directorySize(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // a RocksDB file removed while walking
                }
            }).sum();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Aggregate size and window-close drift cost

    record AggregateCost(long bytes, double driftMillisMedian) {

        static AggregateCost of(final long rows, final int repeats) {
            final BostonHousing data = BostonHousing.load();
            final String[] names = data.featureNames().toArray(String[]::new);
            final Random random = new Random(7);
            final Unit unit = new Unit(NAMESPACE, DEPLOYMENT, "v1", MODEL);
            final FeatureWindow window = new FeatureWindow(unit, T0.toEpochMilli());
            for (long i = 0; i < rows; i++) {
                final double[] row = data.row(random.nextInt(data.size()));
                for (int j = 0; j < row.length; j++) {
                    row[j] *= 1 + 0.02 * random.nextGaussian();
                }
                window.add(RowBatch.of(names, row, null, 1, row.length), T0.toEpochMilli() + i);
            }
            final FeaturePartial partial = DriftRecords.toAvro(window);
            final long bytes;
            try {
                bytes = partial.toByteBuffer().remaining();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            final TrainingBaseline baseline = DemoBaseline.build(T0);
            final DriftCalculator calculator = new DriftCalculator(Defaults.drift());
            final double[] millis = new double[repeats];
            for (int i = 0; i < repeats * 3; i++) { // the first two thirds warm up
                final long start = System.nanoTime();
                if (DriftRecords.report(calculator, partial, baseline, T0, T0.plus(WINDOW)) == null) {
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

    // ---------------------------------------------------------------------------------------------
    // Measuring a phase

    @FunctionalInterface
    interface Work {
        long run() throws Exception;
    }

    /**
     * Runs {@code work}, which returns how many records it read, sampling the heap in use every 100 ms,
     * the heap left after each garbage collection, and the process CPU time.
     */
    static Phase measure(final Work work) throws Exception {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        final AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        final AtomicLong peakAfterGc = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        final javax.management.NotificationListener afterGc = (notification, handback) -> {
            if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                final var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                    (javax.management.openmbean.CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, java.lang.management.MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (HEAP_POOLS.contains(pool.getKey())) {
                        used += pool.getValue().getUsed();
                    }
                }
                peakAfterGc.accumulateAndGet(used, Math::max);
            }
        };
        final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();
        for (java.lang.management.GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof javax.management.NotificationEmitter emitter) {
                emitter.addNotificationListener(afterGc, null, null);
                emitters.add(emitter);
            }
        }
        final Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        final long cpu = os.getProcessCpuTime();
        final long start = System.nanoTime();
        sampler.start();
        final long records;
        try {
            records = work.run();
        } finally {
            sampler.interrupt();
            sampler.join();
            for (javax.management.NotificationEmitter emitter : emitters) {
                emitter.removeNotificationListener(afterGc);
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(seconds, records / seconds, (os.getProcessCpuTime() - cpu) / 1e9, peak.get(), peakAfterGc.get());
    }

    private static final Set<String> HEAP_POOLS = heapPools();

    /**
     * The heap still in use after a full collection: what the application keeps, garbage excluded. Taken
     * half-way through the input and at the end of each pipeline run (each costs one full GC, a fraction
     * of a second, inside the measured time).
     */
    static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Set<String> heapPools() {
        final Set<String> names = new HashSet<>();
        for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                names.add(pool.getName());
            }
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------------
    // Output

    static Path writeResults(final Options options, final List<Row> rows) throws IOException {
        final Path outputDir = options.outputDir();
        Files.createDirectories(outputDir);
        final String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        final Path file = outputDir.resolve("pipeline-" + stamp + ".json");
        final Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", machine());
        document.put("featuresPerRow", BostonHousing.load().featureNames().size());
        document.put("windowsPerVariant", WINDOWS);
        document.put("window", WINDOW.toString());
        document.put("grace", options.grace().toString());
        document.put("kafkaSettings", options.kafka());
        document.put("pairing", options.pairing());
        document.put("joinedRows", options.joinedRows());
        document.put("keyedByRequestId", options.keyed());
        document.put("broker", options.bootstrapServers().isEmpty() ? "embedded KRaft broker in a separate JVM on this machine" : "external");
        document.put("rows", rows);
        JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document);
        return file;
    }

    /** The machine a results file was measured on: cores, this JVM's heap limit, Java and the OS. */
    static Map<String, Object> machine() {
        return Map.of("cores", Runtime.getRuntime().availableProcessors(),
            "maxHeapBytes", Runtime.getRuntime().maxMemory(),
            "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            "os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    static String table(final List<Row> rows) {
        final StringBuilder out = new StringBuilder(
            "inferences  records  inst  guarantee  (a) rec/s  (b) rec/s  (c) rec/s  c/a  c/b  windows  responses  heap(c) MiB  live MiB"
            + "  cpu(c) s  state MiB  aggregate B  drift ms\n");
        for (Row row : rows) {
            out.append(String.format("%,d  %,d  %d  %s  %,.0f  %,.0f  %,.0f  %.2f  %.2f  %d/%d  %,d/%,d  %,.0f  %,.0f  %.1f  %.1f  %,d  %.2f%n",
                row.inferences(), row.records(), row.instances(), row.guarantee(), row.plainConsumer().recordsPerSecond(),
                row.jsonConsumer().recordsPerSecond(), row.pipeline().recordsPerSecond(), row.pipelineOverPlain(),
                row.pipelineOverJson(), row.windowsSeen(), row.windowsExpected(), row.responsesCounted(), row.responsesExpected(),
                row.pipeline().peakHeapBytes() / 1048576.0, row.liveHeapBytes() / 1048576.0, row.pipeline().cpuSeconds(), row.stateStoreBytes() / 1048576.0,
                row.aggregateBytes(), row.driftMillisMedian()));
        }
        return out.toString();
    }
}
