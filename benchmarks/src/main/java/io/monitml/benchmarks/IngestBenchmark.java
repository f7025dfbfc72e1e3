package io.monitml.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.monitml.demo.CanaryTrafficGenerator;
import io.monitml.demo.GeneratedRequest;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.SeldonEvent;
import io.monitml.demo.SeldonEventSink;
import io.monitml.demo.TrafficConfig;

import picocli.CommandLine;

/**
 * Throughput and latency of the HTTP ingest endpoint (issue 16): the embedded broker in a JVM of its
 * own ({@link BenchmarkBroker}), one MonitML instance in another, started as {@code monitml run}
 * starts it (HTTP ingest on, the pipeline reading the raw topic), and this JVM as the clients:
 * {@code --senders} (64) threads, each with one keep-alive connection, posting binary-mode
 * CloudEvents as the demo's {@link HttpCloudEventSink} builds them (its {@code Ce-*} headers, a Seldon
 * JSON body of one 13-feature Boston row from {@link CanaryTrafficGenerator}; a request event and its
 * response event per call, each with its own {@code Ce-Id}).
 *
 * <p>Phases: a warm-up (not reported), then one paced phase per {@code --rates} entry (5,000 and
 * 20,000 events/s), then an unpaced phase (every sender posts its next event as soon as the last is
 * answered). A paced sender has a schedule (its share of the rate, the senders offset from each other)
 * and its latency counts from the event's intended send time, not from when it could send it: a stall
 * of the server shows as latency of every event it delayed (no coordinated omission). A sender that
 * is behind sends at once and never sends past the phase's end; the phase's achieved rate says so.
 *
 * <p>Then the accounting: the events answered 202 must equal the records on the raw topic (counted
 * with a consumer, and their distinct {@code ce_id}s), and the records the pipeline decoded (its
 * {@code monitml_records_decoded_total} on {@code /metrics}); no answer may be anything but 202 and no
 * connection may fail. {@link #main} exits 1 otherwise.
 *
 * <p>CPU is the MonitML process's (its {@link ProcessHandle.Info#totalCpuDuration()}), per phase and
 * per event; the broker's and this driver's are reported beside it, and on Linux what else the
 * machine ran meanwhile ({@code otherCpuSeconds}: a phase that had the cores to itself shows about 0).
 *
 * <p>The client ({@code --client raw}, the default) is a minimal HTTP/1.1 client over a blocking
 * socket: each sender builds its two requests' bytes once, writes the counters of the event and call
 * ids and the time (once a second) into them in place, sends them with one write, and reads the
 * status line, the headers up to {@code Content-Length} and the body of the answer. On 2 cores the
 * clients share the CPU with MonitML and the broker, so the cheaper the client, the more of the
 * machine the figures are about. {@code --client jdk} uses {@link HttpClient} (HTTP/1.1, its
 * connection pool, one synchronous send per sender thread) instead, to compare: measured on the
 * 2-core machine it spent about 13 times the raw client's CPU per event (410 against 30 µs) and
 * reached a fifth of its rate, so it does not keep up there (benchmarks/INGEST.md).
 *
 * <p>Writes {@code ingest-<time>.json} with every figure. IngestRun {@code benchmarks/ingest.sh}.
 */
public final class IngestBenchmark {

    static final List<Integer> DEFAULT_RATES = List.of(5_000, 20_000);
    static final Duration START_PATIENCE = Duration.ofMinutes(3);
    static final Duration DRAIN_PATIENCE = Duration.ofMinutes(2);
    static final int SOCKET_TIMEOUT_MILLIS = 30_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    private IngestBenchmark() {
    }

    /** What to run. */
    record Options(int senders, List<Integer> rates, boolean unpaced, Duration warmup, Duration phase, Path outputDir, Path workDir,
                   List<String> monitmlJavaOptions, List<String> monitmlArgs, String client) {
    }

    /**
     * One phase: the rate asked (0: unpaced), how many events were sent and answered 202, the other
     * answers by status, failed exchanges (connection errors), the achieved rate, latency percentiles
     * in milliseconds, and CPU seconds of the MonitML process, the broker and this driver.
     */
    record Phase(String name, int targetEventsPerSecond, double seconds, long sent, long accepted, Map<Integer, Long> otherStatuses,
                 long failedExchanges, double eventsPerSecond, double p50Millis, double p90Millis, double p99Millis,
                 double p999Millis, double maxMillis, double monitmlCpuSeconds, double monitmlCpuMicrosPerEvent,
                 double brokerCpuSeconds, double driverCpuSeconds, double otherCpuSeconds) {
    }

    /** Sent, answered 202, on the raw topic (records and distinct ids), decoded by the pipeline. */
    record Accounting(long sent, long accepted, long rawRecords, long rawDistinctIds, long decoded, long notAccepted, boolean complete) {
    }

    /** What a run measured and where it wrote it. */
    record Report(List<Phase> phases, Accounting accounting, Path results) {
    }

    public static void main(final String[] args) throws Exception {
        final Report report = execute(args);
        System.out.println(table(report.phases()));
        System.out.println(report.accounting());
        System.out.println("results: " + report.results());
        if (!report.accounting().complete()) {
            System.err.println("INCOMPLETE: " + report.accounting());
        }
        System.exit(report.accounting().complete() ? 0 : 1);
    }

    static Report execute(final String[] args) throws Exception {
        final Options options = parse(args);
        final IngestRun run = new IngestRun(options);
        try {
            run.start();
            final List<Phase> phases = run.phases();
            final Accounting accounting = run.account();
            final Path results = writeResults(options, run, phases, accounting);
            return new Report(phases, accounting, results);
        } finally {
            run.close();
        }
    }

    /** The command line. */
    @CommandLine.Command(name = "IngestBenchmark", description = "The HTTP ingest endpoint under keep-alive senders.")
    static final class Command {
        @CommandLine.Option(names = "--senders", description = "Sender threads, one keep-alive connection each.")
        int senders = 64;
        @CommandLine.Option(names = "--rates", paramLabel = "R,...", description = "Paced phases in events per second; empty: none.")
        String rates = DEFAULT_RATES.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        @CommandLine.Option(names = "--unpaced", arity = "1", description = "A phase as fast as the senders go.")
        boolean unpaced = true;
        @CommandLine.Option(names = "--warmup", converter = Flags.DurationConverter.class, description = "Warm-up before the phases.")
        Duration warmup = Duration.ofSeconds(10);
        @CommandLine.Option(names = "--phase", converter = Flags.DurationConverter.class, description = "Length of each phase.")
        Duration phase = Duration.ofSeconds(15);
        @CommandLine.Option(names = "--output-dir", description = "Where the results file goes.")
        Path output = Paths.get("benchmarks", "results");
        @CommandLine.Option(names = "--work-dir", description = "The broker's and the instance's data; a new temporary directory if not given.")
        Path work;
        @CommandLine.Option(names = "--monitml-java-opts", paramLabel = "'-Xmx1g ...'", description = "The MonitML JVM's options.")
        String javaOptions = "-Xmx1g";
        @CommandLine.Option(names = "--monitml-arg", paramLabel = "ARG", description = "An argument for monitml run, repeatable.")
        List<String> monitmlArgs = new ArrayList<>();
        @CommandLine.Option(names = "--client", description = "raw (sockets) or jdk (java.net.http).")
        String client = "raw";
    }

    static Options parse(final String[] args) throws IOException {
        final Command command = Flags.parse(new Command(), args);
        final int senders = command.senders;
        final List<Integer> rates = command.rates.isBlank() ? List.of()
            : Arrays.stream(command.rates.split(",")).map(new Flags.IntCountConverter()::convert).toList();
        final String client = command.client;
        final List<String> javaOptions = Arrays.stream(command.javaOptions.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
        if (!client.equals("raw") && !client.equals("jdk")) {
            throw new IllegalArgumentException("--client is raw or jdk, not " + client);
        }
        if (senders < 1 || rates.stream().anyMatch(r -> r < 1)) {
            throw new IllegalArgumentException("--senders and every rate must be positive");
        }
        final Path work = command.work == null ? Files.createTempDirectory("monitml-ingest-bench") : command.work;
        return new Options(senders, rates, command.unpaced, command.warmup, command.phase, command.output, work, javaOptions,
            List.copyOf(command.monitmlArgs), client);
    }

    // ---------------------------------------------------------------------------------------------
    // The run: the two child JVMs, the senders, the phases, the accounting

    /** The demo's calls, one row each, one per sender: its request and response events are that sender's templates. */
    static List<GeneratedRequest> calls(final int count) {
        final SeldonEventSink discard = new SeldonEventSink() {
            @Override
            public void send(final SeldonEvent event) {
            }

            @Override
            public void close() {
            }
        };
        final CanaryTrafficGenerator generator = CanaryTrafficGenerator.create(TrafficConfig.defaults(), discard);
        final List<GeneratedRequest> calls = new ArrayList<>();
        while (calls.size() < count) {
            final GeneratedRequest call = generator.nextRequest();
            if (call.rows().length == 1) {
                calls.add(call);
            }
        }
        return calls;
    }

    // ---------------------------------------------------------------------------------------------
    // Senders

    // ---------------------------------------------------------------------------------------------
    // Measuring and output

    static long cpuNanos(final Process process) {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    static long driverCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /**
     * CPU time the whole machine spent busy (user, nice, system, irq, softirq, steal), from Linux's
     * {@code /proc/stat}; -1 elsewhere. Less this benchmark's three processes, it is what else ran: on a
     * shared machine, the figure that says whether a phase had the cores to itself.
     */
    static long machineBusyNanos() {
        try {
            final String[] fields = Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static double millis(final long[] sorted, final double quantile) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    static Path writeResults(final Options options, final IngestRun run, final List<Phase> phases, final Accounting accounting) throws IOException {
        Files.createDirectories(options.outputDir());
        final String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        final Path file = options.outputDir().resolve("ingest-" + stamp + ".json");
        final Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", Measure.machine());
        document.put("senders", options.senders());
        document.put("client", options.client());
        document.put("connections", "one keep-alive HTTP/1.1 connection per sender, loopback");
        document.put("event", "binary-mode CloudEvent as the demo posts it (Ce-* headers, a Seldon JSON body of one 13-feature row)");
        document.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
        document.put("phaseSeconds", options.phase().toMillis() / 1000.0);
        document.put("monitmlJavaOptions", options.monitmlJavaOptions());
        document.put("monitmlArgs", options.monitmlArgs());
        document.put("broker", "embedded KRaft broker in a separate JVM on this machine");
        document.put("latency", "from each event's intended send time (paced) or its send (unpaced) to its answer's last byte");
        document.put("warmup", run.warmupPhase());
        document.put("phases", phases);
        document.put("accounting", accounting);
        JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document);
        return file;
    }

    static String table(final List<Phase> phases) {
        final StringBuilder out = new StringBuilder(
            "phase  target/s  events/s  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  not-202  failed  MonitML cpu s  us/event  broker cpu s"
            + "  driver cpu s  other cpu s\n");
        for (Phase phase : phases) {
            out.append(String.format(Locale.ROOT, "%s  %,d  %,.0f  %.2f  %.2f  %.2f  %.2f  %.1f  %d  %d  %.1f  %.1f  %.1f  %.1f  %.1f%n",
                phase.name(), phase.targetEventsPerSecond(), phase.eventsPerSecond(), phase.p50Millis(), phase.p90Millis(),
                phase.p99Millis(), phase.p999Millis(), phase.maxMillis(),
                phase.otherStatuses().values().stream().mapToLong(Long::longValue).sum(), phase.failedExchanges(),
                phase.monitmlCpuSeconds(), phase.monitmlCpuMicrosPerEvent(), phase.brokerCpuSeconds(), phase.driverCpuSeconds(),
                phase.otherCpuSeconds()));
        }
        return out.toString();
    }
}
