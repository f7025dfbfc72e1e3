package io.monitml.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.monitml.config.Topics;
import io.monitml.demo.GeneratedRequest;
import io.monitml.ingest.CloudEventAttributes;

final class IngestRun implements AutoCloseable {

    private final IngestBenchmark.Options options;
    private final String id = Long.toString(System.currentTimeMillis(), 36);
    private Process broker;
    private Process monitml;
    private String servers;
    private int port;
    private final List<IngestSender> senders = new ArrayList<>();
    private final HttpClient probe = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    IngestRun(final IngestBenchmark.Options options) {
        this.options = options;
    }

    void start() throws Exception {
        Files.createDirectories(options.workDir());
        broker = BenchmarkBroker.start(options.workDir().resolve("broker"));
        final String[] ready = BenchmarkBroker.await(broker, options.workDir());
        servers = ready[1];
        port = IngestBenchmark.freePort();
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
        final long deadline = System.nanoTime() + IngestBenchmark.START_PATIENCE.toNanos();
        while (!healthy()) {
            if (!monitml.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("MonitML did not become ready within " + IngestBenchmark.START_PATIENCE + "; see " + log);
            }
            Thread.sleep(200); // polling another process's readiness: there is nothing to wait on
        }
        final List<GeneratedRequest> calls = IngestBenchmark.calls(options.senders());
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

    List<IngestBenchmark.Phase> phases() throws Exception {
        if (!options.warmup().isZero()) {
            final int warmupRate = options.rates().isEmpty() ? 0 : options.rates().get(options.rates().size() - 1);
            final IngestBenchmark.Phase warm = phase("warm-up", warmupRate, options.warmup());
            System.err.printf(Locale.ROOT, "warm-up: %,.0f events/s%n", warm.eventsPerSecond());
            warmup = warm;
        }
        final List<IngestBenchmark.Phase> phases = new ArrayList<>();
        for (int rate : options.rates()) {
            phases.add(report(phase("paced-" + rate, rate, options.phase())));
        }
        if (options.unpaced()) {
            phases.add(report(phase("unpaced", 0, options.phase())));
        }
        return phases;
    }

    private IngestBenchmark.Phase warmup;

    private static IngestBenchmark.Phase report(final IngestBenchmark.Phase phase) {
        System.err.printf(Locale.ROOT, "%s: %,.0f events/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d not 202, %d failed;"
                + " MonitML CPU %.1f us/event%n", phase.name(), phase.eventsPerSecond(), phase.p50Millis(), phase.p99Millis(),
            phase.maxMillis(), phase.otherStatuses().values().stream().mapToLong(Long::longValue).sum(), phase.failedExchanges(),
            phase.monitmlCpuMicrosPerEvent());
        return phase;
    }

    /** Runs one phase: every sender on a thread of its own, paced at its share of {@code rate} (0: as fast as answered). */
    private IngestBenchmark.Phase phase(final String name, final int rate, final Duration length) throws Exception {
        final int count = senders.size();
        final long cpuBefore = IngestBenchmark.cpuNanos(monitml);
        final long brokerBefore = IngestBenchmark.cpuNanos(broker);
        final long driverBefore = IngestBenchmark.driverCpuNanos();
        final long machineBefore = IngestBenchmark.machineBusyNanos();
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        final long end = start + length.toNanos();
        final double interval = rate == 0 ? 0 : count * 1e9 / rate;
        final IngestTally[] tallies = new IngestTally[count];
        final List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            final IngestSender sender = senders.get(s);
            final IngestTally tally = new IngestTally();
            tallies[s] = tally;
            final double offset = interval * s / count;
            threads.add(new Thread(() -> sender.run(tally, start, end, interval, offset), name + "-sender-" + s));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 2L * IngestBenchmark.SOCKET_TIMEOUT_MILLIS));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not finish");
            }
        }
        final double cpu = (IngestBenchmark.cpuNanos(monitml) - cpuBefore) / 1e9;
        final double brokerCpu = (IngestBenchmark.cpuNanos(broker) - brokerBefore) / 1e9;
        final double driverCpu = (IngestBenchmark.driverCpuNanos() - driverBefore) / 1e9;
        final long machineAfter = IngestBenchmark.machineBusyNanos();
        final double otherCpu = machineBefore < 0 || machineAfter < 0 ? Double.NaN
            : Math.max(0, (machineAfter - machineBefore) / 1e9 - cpu - brokerCpu - driverCpu);
        long sent = 0;
        long accepted = 0;
        long failed = 0;
        long lastDone = start;
        final Map<Integer, Long> others = new TreeMap<>();
        int latencies = 0;
        for (IngestTally tally : tallies) {
            sent += tally.sent;
            accepted += tally.accepted;
            failed += tally.failed;
            latencies += tally.latencies;
            lastDone = Math.max(lastDone, tally.lastDone);
            tally.others.forEach((status, n) -> others.merge(status, n, Long::sum));
        }
        final long[] all = new long[latencies];
        int at = 0;
        for (IngestTally tally : tallies) {
            System.arraycopy(tally.latency, 0, all, at, tally.latencies);
            at += tally.latencies;
        }
        Arrays.sort(all);
        final double seconds = (lastDone - start) / 1e9;
        return new IngestBenchmark.Phase(name, rate, seconds, sent, accepted, others, failed, sent / seconds, IngestBenchmark.millis(all, 0.50), IngestBenchmark.millis(all, 0.90),
            IngestBenchmark.millis(all, 0.99), IngestBenchmark.millis(all, 0.999), all.length == 0 ? 0 : all[all.length - 1] / 1e6, cpu,
            accepted == 0 ? 0 : cpu * 1e6 / accepted, brokerCpu, driverCpu, otherCpu);
    }

    /** Waits until the pipeline has decoded as many records as were accepted (or stops moving), then counts the raw topic. */
    IngestBenchmark.Accounting account() throws Exception {
        long sent = 0;
        long accepted = 0;
        long notAccepted = 0;
        for (IngestSender sender : senders) {
            sent += sender.sent();
            accepted += sender.accepted();
            notAccepted += sender.sent() - sender.accepted();
        }
        final long deadline = System.nanoTime() + IngestBenchmark.DRAIN_PATIENCE.toNanos();
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
        return new IngestBenchmark.Accounting(sent, accepted, raw[0], raw[1], decoded, notAccepted, complete);
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
            final long deadline = System.nanoTime() + IngestBenchmark.DRAIN_PATIENCE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the raw topic was not read to its end within " + IngestBenchmark.DRAIN_PATIENCE);
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

    IngestBenchmark.Phase warmupPhase() {
        return warmup;
    }

    @Override
    public void close() throws Exception {
        for (IngestSender sender : senders) {
            sender.close();
        }
        if (monitml != null) {
            monitml.destroy();
            if (!monitml.waitFor(60, TimeUnit.SECONDS)) {
                monitml.destroyForcibly();
            }
        }
        if (broker != null) {
            BenchmarkBroker.stop(broker);
        }
    }
}
