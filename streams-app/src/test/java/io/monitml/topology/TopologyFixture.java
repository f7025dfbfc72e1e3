package io.monitml.topology;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.monitml.config.Defaults;
import io.monitml.avro.DriftReport;
import io.monitml.avro.InferenceRecord;
import io.monitml.avro.PerformanceReport;
import io.monitml.avro.PredictionStats;
import io.monitml.avro.TrainingBaseline;
import io.monitml.config.Topics;
import io.monitml.config.TopologySettings;
import io.monitml.demo.KafkaCloudEventSink;
import io.monitml.demo.SeldonEvent;
import io.monitml.drift.DriftSettings;
import io.monitml.ingest.EventKind;
import io.monitml.ingest.Limits;
import io.monitml.serde.AvroSerdes;
import io.monitml.serde.RegistryAvroSerdes;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.stats.Correction;

/**
 * The topology in a TopologyTestDriver, configured as the application configures Kafka Streams
 * (dead-letter handler included), with a real in-process schema registry behind the serdes.
 */
final class TopologyFixture implements AutoCloseable {

    static final Duration WINDOW = Duration.ofSeconds(10);
    static final Duration GRACE = Duration.ofSeconds(2);
    static final Duration FLUSH = Duration.ofSeconds(1);
    static final Topics TOPICS = Topics.defaults();
    static final String APPLICATION_ID = "monitml-test";
    static final String V1_TOPIC = "seldon";
    static final long MIN_ROWS = 20;
    static final Duration PAIRING_WAIT = Duration.ofSeconds(60);
    static final Duration LABEL_HORIZON = Duration.ofMinutes(10);
    static final Duration LABEL_WAIT = Duration.ofMinutes(1);
    /**
     * The driver's wall clock at start (each {@link #flush()} moves it on): an hour after the tests'
     * event times, so that the pipeline's checks against its clock have a known present.
     */
    static final Instant WALL_CLOCK = Instant.parse("2026-11-26T11:00:00Z");

    final RecordingListener listener = new RecordingListener();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> raw;
    final TestOutputTopic<String, PredictionStats> stats;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<String, InferenceRecord> inferences;
    final TestOutputTopic<String, DriftReport> drift;
    final TestInputTopic<String, TrainingBaseline> baselines;
    final TestInputTopic<byte[], byte[]> v1Logger;
    final TestInputTopic<byte[], byte[]> labels;
    final TestOutputTopic<String, PerformanceReport> performance;
    final SchemaRegistryClient registry;

    TopologyFixture(final String registryUrl, final Path stateDir) {
        this(registryUrl, stateDir, Defaults.limits());
    }

    TopologyFixture(final String registryUrl, final Path stateDir, final Limits limits) {
        this(registryUrl, stateDir, limits, TOPICS);
    }

    /** @param topics {@link #TOPICS}, or with another inferences topic (empty: no joined rows) */
    TopologyFixture(final String registryUrl, final Path stateDir, final Limits limits, final Topics topics) {
        this(registryUrl, stateDir, limits, topics, 1);
    }

    /**
     * @param joinPartitions the label join's in-place partitions: 1, every keyed response and label joins in place (one
     *                       partition here); 0, every one crosses the repartition; 2, those whose id the default
     *                       partitioner puts in partition 1 cross it (all are in partition 0 here), the others stay
     */
    TopologyFixture(final String registryUrl, final Path stateDir, final Limits limits, final Topics topics, final int joinPartitions) {
        registry = new SchemaRegistryClient(registryUrl);
        final TopologySettings settings = new TopologySettings(topics, new TopologySettings.Sources(V1_TOPIC, "seldon"),
            WINDOW, GRACE, FLUSH, Duration.ofHours(1), new TopologySettings.Pairing(true, PAIRING_WAIT),
            new DriftSettings(Correction.BONFERRONI, 0.05, 0.1, 0.25, MIN_ROWS), limits,
            // One partition per topic here: the merging stage waits for no other source than the first flush's.
            new TopologySettings.Watermarks(FLUSH, Duration.ofMinutes(2)),
            new TopologySettings.GroundTruth(true, LABEL_HORIZON, LABEL_WAIT, 2, joinPartitions));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, TOPICS.deadLetter());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.LISTENER_CONFIG, listener);
        props.put(DeadLetterHandler.MAX_BYTES_CONFIG, limits.maxRecordBytes());
        driver = new TopologyTestDriver(new MonitMlTopology(settings, new RegistryAvroSerdes(registry), listener).build(), props, WALL_CLOCK);
        raw = driver.createInputTopic(TOPICS.raw(), new ByteArraySerializer(), new ByteArraySerializer());
        stats = driver.createOutputTopic(TOPICS.predictionStats(), new StringDeserializer(),
            AvroSerdes.specific(PredictionStats.class, registry, false).deserializer());
        inferences = topics.writesInferences() ? driver.createOutputTopic(topics.inferences(), new StringDeserializer(),
            AvroSerdes.specific(InferenceRecord.class, registry, false).deserializer()) : null;
        drift = driver.createOutputTopic(TOPICS.drift(), new StringDeserializer(),
            AvroSerdes.specific(DriftReport.class, registry, false).deserializer());
        baselines = driver.createInputTopic(TOPICS.baselines(), new StringSerializer(),
            AvroSerdes.specific(TrainingBaseline.class, registry, false).serializer());
        v1Logger = driver.createInputTopic(V1_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        labels = driver.createInputTopic(topics.labels(), new ByteArraySerializer(), new ByteArraySerializer());
        performance = driver.createOutputTopic(topics.performance(), new StringDeserializer(),
            AvroSerdes.specific(PerformanceReport.class, registry, false).deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Sends a Seldon v1 response event for one row per prediction, at {@code time}. */
    void response(final String variant, final Instant time, final double... predictions) {
        final StringBuilder body = new StringBuilder("{\"data\":{\"names\":[\"price\"],\"ndarray\":[");
        for (int i = 0; i < predictions.length; i++) {
            body.append(i == 0 ? "" : ",").append('[').append(predictions[i]).append(']');
        }
        send(SeldonEvent.RESPONSE_TYPE, variant, time, body.append("]},\"meta\":{}}").toString());
    }

    void request(final String variant, final Instant time) {
        send(SeldonEvent.REQUEST_TYPE, variant, time, "{\"data\":{\"names\":[\"rm\",\"lstat\"],\"ndarray\":[[6.5, 4.98]]}}");
    }

    void send(final String type, final String variant, final Instant time, final String body) {
        send(type, variant, time, body, UUID.randomUUID().toString());
    }

    void send(final String type, final String variant, final Instant time, final String body, final String requestId) {
        send(type, "housing", variant, time, body, requestId);
    }

    void send(final String type, final String deployment, final String variant, final Instant time, final String body) {
        send(type, deployment, variant, time, body, UUID.randomUUID().toString());
    }

    void send(final String type, final String deployment, final String variant, final Instant time, final String body,
              final String requestId) {
        final SeldonEvent event = new SeldonEvent(type, UUID.randomUUID().toString(), requestId,
            "seldon", deployment, variant, "classifier", time, SeldonEvent.JSON, body.getBytes(StandardCharsets.UTF_8));
        pipe(KafkaCloudEventSink.toRecord(TOPICS.raw(), event));
    }

    /** A Seldon v1 event of the unit (whose model is the graph node), at {@code time}. */
    void send(final io.monitml.ingest.Unit unit, final String type, final Instant time, final String body) {
        pipe(KafkaCloudEventSink.toRecord(TOPICS.raw(), new SeldonEvent(type, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
            unit.namespace(), unit.deployment(), unit.variant(), unit.model(), time, SeldonEvent.JSON, body.getBytes(StandardCharsets.UTF_8))));
    }

    void pipe(final ProducerRecord<byte[], byte[]> record) {
        raw.pipeInput(new TestRecord<>(record.key(), record.value(), record.headers(), record.timestamp()));
    }

    /** Sends a label as its JSON, keyed by its request id, with the record's timestamp at {@code sent}. */
    void label(final String requestId, final String truthJson, final Instant time, final Instant sent) {
        final String json = "{\"requestId\":\"" + requestId + "\",\"truth\":" + truthJson
            + (time == null ? "" : ",\"time\":\"" + time + "\"") + "}";
        labels.pipeInput(requestId.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8), sent);
    }

    /** Lets the partial-aggregate punctuator run, as the stream thread would after the flush interval. */
    void flush() {
        driver.advanceWallClockTime(FLUSH);
    }

    @Override
    public void close() {
        driver.close();
    }

    /** Remembers what the pipeline reported. */
    static final class RecordingListener implements PipelineListener {

        final List<String> deadLetterReasons = new ArrayList<>();
        final List<EventKind> decoded = new ArrayList<>();
        final List<PredictionStats> closed = new ArrayList<>();
        final List<String> recordsIn = new ArrayList<>();
        final List<String> unpaired = new ArrayList<>();
        final List<String> duplicates = new ArrayList<>();
        final List<String> late = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        final List<String> baselinesRejected = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();
        final List<String> labelOutcomes = new ArrayList<>();
        final List<PerformanceReport> performance = new ArrayList<>();
        /** The latest pending count each task reported. */
        final java.util.Map<String, Long> pairingPending = new java.util.TreeMap<>();

        @Override
        public synchronized void pairingPending(final String task, final long rows) {
            pairingPending.put(task, rows);
        }

        @Override
        public synchronized void labelOutcome(final String outcome) {
            labelOutcomes.add(outcome);
        }

        @Override
        public synchronized void performanceReported(final PerformanceReport report) {
            performance.add(report);
        }
        long featuresDropped;

        @Override
        public synchronized void recordDropped(final String topic, final String reason) {
            dropped.add(topic + ":" + reason);
        }

        @Override
        public synchronized void featuresDropped(final io.monitml.ingest.Unit unit, final int columns) {
            featuresDropped += columns;
        }

        @Override
        public synchronized void baselineRejected(final String key, final String reason) {
            baselinesRejected.add(key + ":" + reason);
        }

        @Override
        public synchronized void refused(final String aggregation, final String namespace, final long records) {
            refused.add(aggregation + " " + namespace + " x" + records);
        }

        @Override
        public synchronized void late(final String stage, final long records) {
            for (long record = 0; record < records; record++) {
                late.add(stage);
            }
        }
        int paired;

        @Override
        public synchronized void recordIn(final String topic) {
            recordsIn.add(topic);
        }

        @Override
        public synchronized void paired() {
            paired++;
        }

        @Override
        public synchronized void unpaired(final String side) {
            unpaired.add(side);
        }

        @Override
        public synchronized void duplicate(final String side) {
            duplicates.add(side);
        }

        @Override
        public synchronized void deadLettered(final String reason, final String stage) {
            deadLetterReasons.add(reason);
        }

        @Override
        public synchronized void decoded(final String source, final String format, final EventKind kind, final int rows) {
            decoded.add(kind);
        }

        @Override
        public synchronized void predictionStatsClosed(final PredictionStats stats) {
            closed.add(stats);
        }
    }
}
