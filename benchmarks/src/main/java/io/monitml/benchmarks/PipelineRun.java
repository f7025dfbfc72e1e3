package io.monitml.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

import io.monitml.config.Defaults;
import io.monitml.app.MonitMlApplication;
import io.monitml.avro.PredictionStats;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.Topics;
import io.monitml.config.TopologySettings;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.Names;

/**
 * One pipeline run. Its phase's rate counts from the moment every instance is RUNNING (start-up is
 * {@code benchmarks/startup.sh}'s subject) to the moment the stream threads have read the last input
 * record; {@code totalSeconds} runs from the start until the last window is published on the
 * statistics topic (after the closing records); CPU and heap cover the whole run.
 */
record PipelineRun(PipelineBenchmark.Phase phase, double secondsToRunning, double totalSeconds, int windowsSeen, long responsesCounted,
                   long late, long deadLettered, long liveHeapBytes, long stateBytes, long labelsJoined, long joinStoreBytes,
                   long labelsWaitingPeak) {

    /**
     * Runs the pipeline over the workload with {@code instances} instances and measures it.
     *
     * @param labels whether the label join runs (reading the workload's labels topic); its input is done when every label is joined
     */
    static PipelineRun of(final String servers, final String registry, final String topic, final Workload workload, final int instances,
                          final String guarantee, final boolean labels, final PipelineBenchmark.Options options, final String run)
        throws Exception {
        final String applicationId = "monitml-bench-" + workload.inferences() + "-x" + instances + "-"
            + guarantee.replace('_', '-') + (labels ? "-labels" : "") + "-" + run;
        final Topics topics = new Topics(Topics.DEFAULT_RAW + "-" + applicationId, Topics.DEFAULT_DEAD_LETTER + "-" + applicationId,
            Topics.DEFAULT_PREDICTION_STATS + "-" + applicationId, Topics.DEFAULT_DRIFT + "-" + applicationId,
            Topics.DEFAULT_BASELINES, options.joinedRows() ? Topics.DEFAULT_INFERENCES + "-" + applicationId : "", workload.labelsTopic(),
            Topics.DEFAULT_PERFORMANCE + "-" + applicationId);
        final TopologySettings topology = new TopologySettings(topics, new TopologySettings.Sources(topic, null), PipelineBenchmark.WINDOW,
            options.grace(), Duration.ofSeconds(1), Duration.ofDays(1), new TopologySettings.Pairing(options.pairing(), Duration.ofSeconds(60)),
            Defaults.drift(), Defaults.limits(), TopologySettings.Watermarks.defaults(), new TopologySettings.GroundTruth(labels,
                options.labelHorizon(), Defaults.duration(Defaults.LABEL_WAIT), Defaults.MIN_LABELS));
        final List<Path> dataDirs = new ArrayList<>();
        final List<MonitMlApplication> apps = new ArrayList<>();
        final Map<String, Long> responses = new HashMap<>();
        final Set<String> windows = new HashSet<>();
        final CountingListener counting = new CountingListener(workload.labelsTopic());
        final long[] runningAt = {0};
        final long[] firstRunningAt = {0};
        final long[] inputDoneAt = {0};
        final long[] pairedSeen = {0};
        final long[] liveHeap = {0};
        final boolean[] halfway = {false};
        final long[] lastPairedAt = {0};
        final long[] startedAt = {0};
        final long[] doneAt = {0};
        final PipelineBenchmark.Phase whole;
        try {
            whole = Measure.measure(() -> {
                startedAt[0] = System.nanoTime();
                for (int i = 0; i < instances; i++) {
                    final Path dataDir = options.workDir().resolve(applicationId + "-" + i);
                    dataDirs.add(dataDir);
                    apps.add(MonitMlApplication.start(MonitMlConfig.builder().bootstrapServers(servers)
                        .schemaRegistryUrl(registry).applicationId(applicationId).dataDir(dataDir).http("127.0.0.1", 0).embeddedPorts(0, 0)
                        .topology(topology).ingest(new MonitMlConfig.Ingest(false, 1 << 20)).processingGuarantee(guarantee)
                        .topics(true, PipelineBenchmark.PARTITIONS, (short) -1).kafka(options.kafka()).build(), counting));
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
                        liveHeap[0] = Math.max(liveHeap[0], Measure.liveHeap());
                    }
                    final long paired = counting.paired.sum();
                    if (paired != pairedSeen[0]) {
                        pairedSeen[0] = paired;
                        lastPairedAt[0] = now;
                    }
                    final boolean labelsDone = !labels || counting.labelsSettled.sum() >= workload.labels();
                    if (inputDoneAt[0] == 0 && counting.recordsIn.sum() >= workload.records() && labelsDone) {
                        if (!options.pairing()) {
                            inputDoneAt[0] = now;
                        } else if (paired >= workload.inferences() || now - lastPairedAt[0] >= flushWait) {
                            inputDoneAt[0] = Math.max(lastPairedAt[0], labels ? now : 0);
                        }
                    }
                    if (!closed[0] && inputDoneAt[0] != 0 && now - Math.max(inputDoneAt[0], lastPairedAt[0]) >= flushWait) {
                        workload.sendClosingRecords(servers, topics.raw());
                        closed[0] = true;
                    }
                });
                doneAt[0] = System.nanoTime();
                liveHeap[0] = Math.max(liveHeap[0], Measure.liveHeap());
                return workload.records();
            });
        } finally {
            for (MonitMlApplication app : apps) {
                app.close();
            }
        }
        long stateBytes = 0;
        long joinStoreBytes = 0;
        for (Path dataDir : dataDirs) {
            stateBytes += PipelineBenchmark.directorySize(dataDir.resolve("streams"));
            joinStoreBytes += storeSize(dataDir.resolve("streams"), Names.LABEL_JOIN_PREDICTIONS);
        }
        System.err.println("pipeline counters: " + counting);
        // From every instance RUNNING; from the first when a small input was done before the last one joined.
        final long from = inputDoneAt[0] > runningAt[0] ? runningAt[0] : firstRunningAt[0];
        final double seconds = Math.max(inputDoneAt[0] - from, 1_000_000L) / 1e9;
        final PipelineBenchmark.Phase phase = new PipelineBenchmark.Phase(seconds, workload.records() / seconds, whole.cpuSeconds(), whole.peakHeapBytes(),
            whole.peakHeapAfterGcBytes());
        return new PipelineRun(phase, (runningAt[0] - startedAt[0]) / 1e9, (doneAt[0] - startedAt[0]) / 1e9, windows.size(),
            responses.values().stream().mapToLong(Long::longValue).sum(), counting.late.sum(), counting.deadLettered.sum(), liveHeap[0],
            stateBytes, counting.labelsJoined.sum(), joinStoreBytes, counting.labelsWaitingPeak());
    }

    /** The bytes of every task's directory of the store named {@code store} under the state directory. */
    private static long storeSize(final Path stateDir, final String store) throws java.io.IOException {
        if (!java.nio.file.Files.exists(stateDir)) {
            return 0;
        }
        long bytes = 0;
        try (java.util.stream.Stream<Path> dirs = java.nio.file.Files.walk(stateDir)) {
            for (Path dir : dirs.filter(path -> path.getFileName().toString().equals(store) && java.nio.file.Files.isDirectory(path)).toList()) {
                bytes += PipelineBenchmark.directorySize(dir);
            }
        }
        return bytes;
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
            final long deadline = System.nanoTime() + PipelineBenchmark.PATIENCE.toNanos();
            while (windows.size() < workload.expectedWindows()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + windows.size() + " of " + workload.expectedWindows()
                        + " windows closed within " + PipelineBenchmark.PATIENCE);
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
}
