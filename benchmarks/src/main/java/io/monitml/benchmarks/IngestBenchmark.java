package io.monitml.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.monitml.config.Topics;
import io.monitml.demo.CanaryTrafficGenerator;
import io.monitml.demo.GeneratedRequest;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.SeldonEvent;
import io.monitml.demo.SeldonEventSink;
import io.monitml.demo.TrafficConfig;
import io.monitml.ingest.CloudEventAttributes;

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
 * <p>Writes {@code ingest-<time>.json} with every figure. Run {@code benchmarks/ingest.sh}.
 */
public final class IngestBenchmark {

    static final List<Integer> DEFAULT_RATES = List.of(5_000, 20_000);
    private static final Duration START_PATIENCE = Duration.ofMinutes(3);
    private static final Duration DRAIN_PATIENCE = Duration.ofMinutes(2);
    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
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
        final Run run = new Run(options);
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

    static final class Run implements AutoCloseable {

        private final Options options;
        private final String id = Long.toString(System.currentTimeMillis(), 36);
        private Process broker;
        private Process monitml;
        private String servers;
        private int port;
        private final List<Sender> senders = new ArrayList<>();
        private final HttpClient probe = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

        Run(final Options options) {
            this.options = options;
        }

        void start() throws Exception {
            Files.createDirectories(options.workDir());
            broker = PipelineBenchmark.startBroker(options.workDir().resolve("broker"));
            final String[] ready = PipelineBenchmark.awaitBroker(broker, options.workDir());
            servers = ready[1];
            port = freePort();
            final Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
            final List<String> command = new ArrayList<>(List.of(java.toString()));
            command.addAll(options.monitmlJavaOptions());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.monitml.cli.MonitMl", "run",
                "--bootstrap-servers", servers, "--schema-registry-url", ready[2], "--application-id", "monitml-ingest-bench-" + id,
                "--data-dir", options.workDir().resolve("monitml").toString(), "--http-host", "127.0.0.1",
                "--http-port", Integer.toString(port)));
            command.addAll(options.monitmlArgs());
            final Path log = options.workDir().resolve("monitml.log");
            monitml = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(monitml::destroyForcibly, "stop-benchmark-monitml"));
            final long deadline = System.nanoTime() + START_PATIENCE.toNanos();
            while (!healthy()) {
                if (!monitml.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("MonitML did not become ready within " + START_PATIENCE + "; see " + log);
                }
                Thread.sleep(200); // polling another process's readiness: there is nothing to wait on
            }
            final List<GeneratedRequest> calls = calls(options.senders());
            for (int s = 0; s < options.senders(); s++) {
                final GeneratedRequest call = calls.get(s);
                senders.add(options.client().equals("raw") ? new RawSender(port, id, s, call) : new JdkSender(port, id, s, call));
            }
        }

        private boolean healthy() {
            try {
                return probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        List<Phase> phases() throws Exception {
            if (!options.warmup().isZero()) {
                final int warmupRate = options.rates().isEmpty() ? 0 : options.rates().get(options.rates().size() - 1);
                final Phase warm = phase("warm-up", warmupRate, options.warmup());
                System.err.printf(Locale.ROOT, "warm-up: %,.0f events/s%n", warm.eventsPerSecond());
                warmup = warm;
            }
            final List<Phase> phases = new ArrayList<>();
            for (int rate : options.rates()) {
                phases.add(report(phase("paced-" + rate, rate, options.phase())));
            }
            if (options.unpaced()) {
                phases.add(report(phase("unpaced", 0, options.phase())));
            }
            return phases;
        }

        private Phase warmup;

        private static Phase report(final Phase phase) {
            System.err.printf(Locale.ROOT, "%s: %,.0f events/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d not 202, %d failed;"
                    + " MonitML CPU %.1f us/event%n", phase.name(), phase.eventsPerSecond(), phase.p50Millis(), phase.p99Millis(),
                phase.maxMillis(), phase.otherStatuses().values().stream().mapToLong(Long::longValue).sum(), phase.failedExchanges(),
                phase.monitmlCpuMicrosPerEvent());
            return phase;
        }

        /** Runs one phase: every sender on a thread of its own, paced at its share of {@code rate} (0: as fast as answered). */
        private Phase phase(final String name, final int rate, final Duration length) throws Exception {
            final int count = senders.size();
            final long cpuBefore = cpuNanos(monitml);
            final long brokerBefore = cpuNanos(broker);
            final long driverBefore = driverCpuNanos();
            final long machineBefore = machineBusyNanos();
            final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            final long end = start + length.toNanos();
            final double interval = rate == 0 ? 0 : count * 1e9 / rate;
            final Tally[] tallies = new Tally[count];
            final List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < count; s++) {
                final Sender sender = senders.get(s);
                final Tally tally = new Tally();
                tallies[s] = tally;
                final double offset = interval * s / count;
                threads.add(new Thread(() -> sender.run(tally, start, end, interval, offset), name + "-sender-" + s));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 2L * SOCKET_TIMEOUT_MILLIS));
                if (thread.isAlive()) {
                    throw new IllegalStateException(thread.getName() + " did not finish");
                }
            }
            final double cpu = (cpuNanos(monitml) - cpuBefore) / 1e9;
            final double brokerCpu = (cpuNanos(broker) - brokerBefore) / 1e9;
            final double driverCpu = (driverCpuNanos() - driverBefore) / 1e9;
            final long machineAfter = machineBusyNanos();
            final double otherCpu = machineBefore < 0 || machineAfter < 0 ? Double.NaN
                : Math.max(0, (machineAfter - machineBefore) / 1e9 - cpu - brokerCpu - driverCpu);
            long sent = 0;
            long accepted = 0;
            long failed = 0;
            long lastDone = start;
            final Map<Integer, Long> others = new TreeMap<>();
            int latencies = 0;
            for (Tally tally : tallies) {
                sent += tally.sent;
                accepted += tally.accepted;
                failed += tally.failed;
                latencies += tally.latencies;
                lastDone = Math.max(lastDone, tally.lastDone);
                tally.others.forEach((status, n) -> others.merge(status, n, Long::sum));
            }
            final long[] all = new long[latencies];
            int at = 0;
            for (Tally tally : tallies) {
                System.arraycopy(tally.latency, 0, all, at, tally.latencies);
                at += tally.latencies;
            }
            Arrays.sort(all);
            final double seconds = (lastDone - start) / 1e9;
            return new Phase(name, rate, seconds, sent, accepted, others, failed, sent / seconds, millis(all, 0.50), millis(all, 0.90),
                millis(all, 0.99), millis(all, 0.999), all.length == 0 ? 0 : all[all.length - 1] / 1e6, cpu,
                accepted == 0 ? 0 : cpu * 1e6 / accepted, brokerCpu, driverCpu, otherCpu);
        }

        /** Waits until the pipeline has decoded as many records as were accepted (or stops moving), then counts the raw topic. */
        Accounting account() throws Exception {
            long sent = 0;
            long accepted = 0;
            long notAccepted = 0;
            for (Sender sender : senders) {
                sent += sender.sent();
                accepted += sender.accepted();
                notAccepted += sender.sent() - sender.accepted();
            }
            final long deadline = System.nanoTime() + DRAIN_PATIENCE.toNanos();
            long decoded = decoded();
            long lastMoved = System.nanoTime();
            while (decoded < accepted && System.nanoTime() < deadline
                && System.nanoTime() - lastMoved < TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(200); // polling another process's counter: there is nothing to wait on
                final long now = decoded();
                if (now != decoded) {
                    decoded = now;
                    lastMoved = System.nanoTime();
                }
            }
            final long[] raw = countRaw();
            final boolean complete = notAccepted == 0 && sent == accepted && raw[0] == accepted && raw[1] == accepted
                && decoded == accepted;
            return new Accounting(sent, accepted, raw[0], raw[1], decoded, notAccepted, complete);
        }

        /** The records the pipeline decoded so far: the sum of {@code monitml_records_decoded_total} on /metrics. */
        private long decoded() throws IOException, InterruptedException {
            final String scrape = probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return (long) scrape.lines().filter(line -> line.startsWith("monitml_records_decoded_total{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }

        /** Reads the raw topic from the start to its end: the records, and their distinct {@code ce_id}s. */
        private long[] countRaw() {
            final Map<String, Object> settings = new HashMap<>();
            settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
            settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            final Set<String> ids = new HashSet<>();
            long records = 0;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
                final List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo partition : consumer.partitionsFor(Topics.DEFAULT_RAW, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(partition.topic(), partition.partition()));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
                final long deadline = System.nanoTime() + DRAIN_PATIENCE.toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < ends.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the raw topic was not read to its end within " + DRAIN_PATIENCE);
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        records++;
                        final Header id = record.headers().lastHeader(CloudEventAttributes.kafkaHeader(CloudEventAttributes.ID));
                        if (id != null) {
                            ids.add(new String(id.value(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            return new long[] {records, ids.size()};
        }

        Phase warmupPhase() {
            return warmup;
        }

        @Override
        public void close() throws Exception {
            for (Sender sender : senders) {
                sender.close();
            }
            if (monitml != null) {
                monitml.destroy();
                if (!monitml.waitFor(60, TimeUnit.SECONDS)) {
                    monitml.destroyForcibly();
                }
            }
            if (broker != null) {
                PipelineBenchmark.stopBroker(broker);
            }
        }
    }

    /** One sender's counts in one phase, written by its thread only, read after it ended. */
    static final class Tally {
        long sent;
        long accepted;
        long failed;
        long lastDone;
        final Map<Integer, Long> others = new HashMap<>();
        long[] latency = new long[1 << 12];
        int latencies;

        void record(final int status, final long nanos, final long done) {
            sent++;
            if (status == 202) {
                accepted++;
            } else if (status < 0) {
                failed++;
            } else {
                others.merge(status, 1L, Long::sum);
            }
            if (latencies == latency.length) {
                latency = Arrays.copyOf(latency, latency.length * 2);
            }
            latency[latencies++] = nanos;
            lastDone = done;
        }
    }

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

    /** One sender: one connection, a request event then its response event, over and over with new ids. */
    abstract static class Sender implements AutoCloseable {

        /** Digits of the event and call counters written into the ids. */
        static final int DIGITS = 10;
        private long sequence;
        private long sent;
        private long accepted;

        /** Posts event {@code sequence} (even: a request, odd: its call's response); returns its status, or -1 if the exchange failed. */
        abstract int exchange(long sequence, long nowMillis);

        final void run(final Tally tally, final long start, final long end, final double interval, final double offset) {
            long n = 0;
            while (true) {
                final long intended;
                if (interval == 0) {
                    intended = System.nanoTime();
                    if (intended >= end) {
                        break;
                    }
                } else {
                    intended = start + (long) (offset + n * interval);
                    if (intended >= end) {
                        break;
                    }
                    long now;
                    while ((now = System.nanoTime()) < intended) {
                        LockSupport.parkNanos(intended - now);
                    }
                    if (now >= end) {
                        break; // behind schedule: never send past the phase's end
                    }
                }
                n++;
                final int status = exchange(sequence++, System.currentTimeMillis());
                final long done = System.nanoTime();
                sent++;
                if (status == 202) {
                    accepted++;
                }
                tally.record(status, done - intended, done);
            }
        }

        final long sent() {
            return sent;
        }

        final long accepted() {
            return accepted;
        }

        @Override
        public void close() {
        }

        static String id(final String run, final int sender, final String kind) {
            return "b" + run + "-s" + sender + "-" + kind + "-";
        }

        static void writeDigits(final byte[] target, final int at, long value) {
            for (int i = at + DIGITS - 1; i >= at; i--) {
                target[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
        }
    }

    /** The raw-socket client: the request bytes built once per template, ids and time written into them in place. */
    static final class RawSender extends Sender {

        private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};
        private final int port;
        private final Template[] templates;
        private Socket socket;
        private OutputStream out;
        private InputStream in;
        private final byte[] buffer = new byte[16 * 1024];
        private int filled;

        RawSender(final int port, final String run, final int sender, final GeneratedRequest call) {
            this.port = port;
            final URI url = URI.create("http://127.0.0.1:" + port + "/");
            this.templates = new Template[] {new Template(url, call.request(), id(run, sender, "e"), id(run, sender, "c")),
                new Template(url, call.response(), id(run, sender, "e"), id(run, sender, "c"))};
        }

        @Override
        int exchange(final long sequence, final long nowMillis) {
            final Template template = templates[(int) (sequence & 1)];
            template.fill(sequence, sequence >>> 1, nowMillis);
            try {
                if (socket == null) {
                    connect();
                }
                out.write(template.bytes);
                return readReply();
            } catch (IOException e) {
                closeSocket();
                return -1;
            }
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), SOCKET_TIMEOUT_MILLIS);
            out = socket.getOutputStream();
            in = socket.getInputStream();
            filled = 0;
        }

        /** Reads one answer: the status line, the headers (Content-Length, Connection: close) and the body, which it skips. */
        private int readReply() throws IOException {
            int headerEnd;
            while ((headerEnd = indexOf(buffer, filled, CRLF_CRLF)) < 0) {
                fill();
            }
            if (filled < 12 || buffer[0] != 'H' || buffer[8] != ' ') {
                throw new IOException("not an HTTP status line");
            }
            final int status = (buffer[9] - '0') * 100 + (buffer[10] - '0') * 10 + (buffer[11] - '0');
            final String headers = new String(buffer, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            final int lengthAt = headers.indexOf("\r\ncontent-length:");
            if (lengthAt < 0) {
                throw new IOException("an answer without Content-Length");
            }
            int lengthEnd = headers.indexOf('\r', lengthAt + 2);
            lengthEnd = lengthEnd < 0 ? headers.length() : lengthEnd;
            final int length = Integer.parseInt(headers.substring(lengthAt + "\r\ncontent-length:".length(), lengthEnd).trim());
            final int total = headerEnd + CRLF_CRLF.length + length;
            if (total > buffer.length) {
                throw new IOException("an answer larger than " + buffer.length + " bytes");
            }
            while (filled < total) {
                fill();
            }
            // Strictly one request at a time: nothing follows the answer.
            filled = 0;
            if (headers.contains("\r\nconnection: close")) {
                closeSocket();
            }
            return status;
        }

        private void fill() throws IOException {
            if (filled == buffer.length) {
                throw new IOException("an answer's headers larger than " + buffer.length + " bytes");
            }
            final int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                throw new IOException("the server closed the connection");
            }
            filled += read;
        }

        private static int indexOf(final byte[] data, final int length, final byte[] pattern) {
            outer:
            for (int i = 0; i <= length - pattern.length; i++) {
                for (int j = 0; j < pattern.length; j++) {
                    if (data[i + j] != pattern[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private void closeSocket() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a failed connection: nothing left to do
                }
                socket = null;
            }
        }

        @Override
        public void close() {
            closeSocket();
        }

        /**
         * One event's POST as bytes: the demo's headers, with {@code Ce-Id} and {@code Ce-Requestid} ending in
         * {@value #DIGITS} digits and {@code Ce-Time} of fixed width, all three overwritten in place per event.
         */
        static final class Template {

            final byte[] bytes;
            private final int idAt;
            private final int callAt;
            private final int timeAt;
            private long timeSecond = -1;

            Template(final URI url, final SeldonEvent event, final String idPrefix, final String callPrefix) {
                final String zeros = "0".repeat(DIGITS);
                final String time = EVENT_TIME.format(Instant.EPOCH);
                final Map<String, List<String>> headers = HttpCloudEventSink.request(url, event).headers().map();
                final StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + url.getPort() + "\r\n");
                final byte[] body = event.body();
                headers.forEach((name, values) -> {
                    final String value = switch (name.toLowerCase(Locale.ROOT)) {
                        case "ce-id" -> idPrefix + zeros;
                        case "ce-requestid" -> callPrefix + zeros;
                        case "ce-time" -> time;
                        default -> values.get(0);
                    };
                    head.append(name).append(": ").append(value).append("\r\n");
                });
                head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                final String text = head.toString();
                idAt = text.indexOf("\r\nCe-Id: ") + "\r\nCe-Id: ".length() + idPrefix.length();
                callAt = text.indexOf("\r\nCe-Requestid: ") + "\r\nCe-Requestid: ".length() + callPrefix.length();
                timeAt = text.indexOf("\r\nCe-Time: ") + "\r\nCe-Time: ".length();
                if (idAt < idPrefix.length() + 9 || callAt < callPrefix.length() + 16 || timeAt < 11) {
                    throw new IllegalStateException("the demo's request has no Ce-Id, Ce-Requestid or Ce-Time: " + headers.keySet());
                }
                final byte[] headBytes = text.getBytes(StandardCharsets.ISO_8859_1);
                bytes = Arrays.copyOf(headBytes, headBytes.length + body.length);
                System.arraycopy(body, 0, bytes, headBytes.length, body.length);
            }

            void fill(final long event, final long call, final long nowMillis) {
                writeDigits(bytes, idAt, event);
                writeDigits(bytes, callAt, call);
                final long second = nowMillis / 1000;
                if (second != timeSecond) {
                    timeSecond = second;
                    final byte[] time = EVENT_TIME.format(Instant.ofEpochMilli(nowMillis)).getBytes(StandardCharsets.ISO_8859_1);
                    System.arraycopy(time, 0, bytes, timeAt, time.length);
                }
            }
        }
    }

    /** Java's HttpClient (HTTP/1.1, its connection pool), one synchronous send per sender thread, for comparison. */
    static final class JdkSender extends Sender {

        private static volatile HttpClient shared;
        private final URI url;
        private final SeldonEvent request;
        private final SeldonEvent response;
        private final String idPrefix;
        private final String callPrefix;

        JdkSender(final int port, final String run, final int sender, final GeneratedRequest call) {
            this.url = URI.create("http://127.0.0.1:" + port + "/");
            this.request = call.request();
            this.response = call.response();
            this.idPrefix = id(run, sender, "e");
            this.callPrefix = id(run, sender, "c");
        }

        private static HttpClient client() {
            HttpClient client = shared;
            if (client == null) {
                synchronized (JdkSender.class) {
                    if (shared == null) {
                        shared = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
                    }
                    client = shared;
                }
            }
            return client;
        }

        @Override
        int exchange(final long sequence, final long nowMillis) {
            final SeldonEvent template = (sequence & 1) == 0 ? request : response;
            final SeldonEvent event = new SeldonEvent(template.type(), idPrefix + sequence, callPrefix + (sequence >>> 1),
                template.namespace(), template.inferenceServiceName(), template.endpoint(), template.modelId(),
                Instant.ofEpochMilli(nowMillis), template.contentType(), template.body());
            try {
                return client().send(HttpCloudEventSink.request(url, event), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Measuring and output

    private static long cpuNanos(final Process process) {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long driverCpuNanos() {
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double millis(final long[] sorted, final double quantile) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    static Path writeResults(final Options options, final Run run, final List<Phase> phases, final Accounting accounting) throws IOException {
        Files.createDirectories(options.outputDir());
        final String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        final Path file = options.outputDir().resolve("ingest-" + stamp + ".json");
        final Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", PipelineBenchmark.machine());
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
