package io.monitml.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import io.monitml.baseline.BaselinePublisher;
import io.monitml.config.Topics;
import io.monitml.demo.DemoBaseline;
import io.monitml.serde.SchemaRegistryClient;

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
    static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(2));
    static final Duration PATIENCE = Duration.ofMinutes(30);

    /** What to run. */
    record Options(List<Long> sizes, List<Integer> instances, String bootstrapServers, String registryUrl, Path outputDir,
                   Path workDir, List<String> guarantees, int driftRepeats, Duration grace,
                   Map<String, String> kafka, boolean pairing, boolean joinedRows, boolean keyed, List<Boolean> labels,
                   double labelShare, Duration labelHorizon) {
    }

    /**
     * The measurements of one phase: records read per second, process CPU seconds, the peak of the heap
     * in use (sampled every 100 ms, garbage included) and the largest heap left after a collection
     * (the live set, what "heap flat" is about).
     */
    record Phase(double seconds, double recordsPerSecond, double cpuSeconds, long peakHeapBytes, long peakHeapAfterGcBytes) {
    }

    /**
     * One row of the results: one size, one instance count, the label join on or off ({@code labels}: the labels sent,
     * joined; the join's store of kept predictions on disk; the most labels waiting for their prediction at once).
     */
    record Row(long inferences, long records, int instances, String guarantee, boolean labelJoin, long labelsSent, long labelsJoined,
               long joinStoreBytes, long labelsWaitingPeak, Phase plainConsumer, Phase jsonConsumer,
               Phase pipeline, double pipelineOverPlain, double pipelineOverJson, double secondsToRunning,
               double secondsIncludingStart, int windowsExpected,
               int windowsSeen, long responsesExpected, long responsesCounted, long late, long deadLettered, long liveHeapBytes,
               long stateStoreBytes,
               long largestWindowRows, long aggregateBytes, double driftMillisMedian, double brokerCpuSeconds) {

        /**
         * Whether the pipeline closed every window with every response counted, none late and none dead-lettered, and, with the
         * join on, joined every label.
         */
        boolean complete() {
            return windowsSeen == windowsExpected && responsesCounted == responsesExpected && late == 0 && deadLettered == 0
                && (!labelJoin || labelsJoined == labelsSent);
        }
    }

    private PipelineBenchmark() {
    }

    /** What a benchmark run wrote: its rows, the results file and the chart. */
    record Report(List<Row> rows, Path results, Path chart) {
    }

    public static void main(final String[] args) throws Exception {
        final Report report = execute(args);
        System.out.println(PipelineResults.table(report.rows()));
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
        final Path json = PipelineResults.write(options, rows);
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
        @CommandLine.Option(names = "--labels", arity = "1", split = ",", description = "The label join on (the default), off, or both in turn: true,false.")
        List<Boolean> labels = List.of(true);
        @CommandLine.Option(names = "--label-share", description = "Share of the inferences whose truth is on the labels topic.")
        double labelShare = 0.3;
        @CommandLine.Option(names = "--label-horizon", converter = Flags.DurationConverter.class,
            description = "How long the join keeps a prediction, in event time (the workload spans ten minutes).")
        Duration labelHorizon = io.monitml.config.Defaults.duration(io.monitml.config.Defaults.LABEL_HORIZON);
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
            command.joinedRows, command.keyed, List.copyOf(command.labels), command.labelShare, command.labelHorizon);
    }

    static List<Row> run(final Options options) throws Exception {
        final List<Row> rows = new ArrayList<>();
        Process broker = null;
        try {
            String servers = options.bootstrapServers();
            String registry = options.registryUrl();
            if (servers.isEmpty()) {
                broker = BenchmarkBroker.start(options.workDir().resolve("broker"));
                final String[] ready = BenchmarkBroker.await(broker, options.workDir());
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
            final Process embedded = broker;
            for (long size : options.sizes()) {
                final String bootstrap = servers;
                final String topic = "bench-seldon-" + size + "-" + run;
                final Workload workload = Workload.preload(servers, topic, size, options.keyed(), options.labelShare());
                System.err.printf("%,d inferences (%,d records) in %s, %,d labels in %s, produced in %.1f s%n", size, workload.records(), topic,
                    workload.labels(), workload.labelsTopic(), workload.produceSeconds());
                final Phase plain = Measure.measure(() -> PlainConsumer.readAll(bootstrap, topic, workload.records(), false));
                System.err.printf("(a) plain consumer: %,.0f records/s%n", plain.recordsPerSecond());
                final Phase parsed = Measure.measure(() -> PlainConsumer.readAll(bootstrap, topic, workload.records(), true));
                System.err.printf("(b) consumer + JSON: %,.0f records/s%n", parsed.recordsPerSecond());
                final AggregateCost aggregate = AggregateCost.of(workload.largestWindowRows(), options.driftRepeats());
                for (String guarantee : options.guarantees()) {
                    for (int instances : options.instances()) {
                        for (boolean labels : options.labels()) {
                            // Each run its own application: a setting may be measured more than once in turn (--labels false,true,false,true).
                            rows.add(measure(new Readings(servers, registry, workload, plain, parsed, aggregate, embedded), instances, guarantee,
                                labels, options, run + "-" + rows.size()));
                        }
                    }
                }
            }
        } finally {
            if (broker != null) {
                BenchmarkBroker.stop(broker);
            }
        }
        return rows;
    }

    /** What every pipeline run of one size shares: the cluster, the workload, the consumers' readings and the aggregate's cost. */
    private record Readings(String servers, String registry, Workload workload, Phase plain, Phase parsed, AggregateCost aggregate,
                            Process broker) {

        /** The embedded broker's CPU time so far (it shares the machine's cores with the pipeline), or NaN for an external one. */
        double brokerCpuSeconds() {
            return broker == null ? Double.NaN
                : broker.toHandle().info().totalCpuDuration().map(cpu -> cpu.toNanos() / 1e9).orElse(Double.NaN);
        }
    }

    /** One pipeline run over the workload, as a row of the results. */
    private static Row measure(final Readings readings, final int instances, final String guarantee, final boolean labels,
                               final Options options, final String run) throws Exception {
        final Workload workload = readings.workload();
        final double brokerCpuBefore = readings.brokerCpuSeconds();
        final PipelineRun result = PipelineRun.of(readings.servers(), readings.registry(), workload.topic(), workload, instances, guarantee,
            labels, options, run);
        final double brokerCpu = readings.brokerCpuSeconds() - brokerCpuBefore;
        System.err.printf("(c) MonitML x%d %s, label join %s: %,.0f records/s, %d/%d windows, %,d/%,d responses counted,"
                + " %,d/%,d labels joined%n", instances, guarantee, labels ? "on" : "off", result.phase().recordsPerSecond(),
            result.windowsSeen(), workload.expectedWindows(), result.responsesCounted(), workload.responses(),
            result.labelsJoined(), labels ? workload.labels() : 0);
        return new Row(workload.inferences(), workload.records(), instances, guarantee, labels, labels ? workload.labels() : 0,
            result.labelsJoined(), result.joinStoreBytes(), result.labelsWaitingPeak(), readings.plain(), readings.parsed(), result.phase(),
            result.phase().recordsPerSecond() / readings.plain().recordsPerSecond(),
            result.phase().recordsPerSecond() / readings.parsed().recordsPerSecond(), result.secondsToRunning(),
            result.totalSeconds(), workload.expectedWindows(), result.windowsSeen(), workload.responses(),
            result.responsesCounted(), result.late(), result.deadLettered(), result.liveHeapBytes(), result.stateBytes(),
            workload.largestWindowRows(), readings.aggregate().bytes(), readings.aggregate().driftMillisMedian(), brokerCpu);
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
}
