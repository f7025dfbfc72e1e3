package io.monitml.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.monitml.demo.BostonHousing;
import io.monitml.demo.LinearModel;

/**
 * The pre-loaded topics: how many records, how many windows the pipeline must close, and the labels
 * topic beside (the true prices of a share of the inferences, 10 to 50 s of event time after each).
 */
record Workload(String topic, long inferences, long records, long responses, int expectedWindows, long largestWindowRows,
                Instant end, double produceSeconds, String labelsTopic, long labels) {

    /** As the demo: the truths of 30% of the predictions, 10 to 50 seconds after them. */
    static final long MIN_LABEL_DELAY_MS = 10_000;
    static final long LABEL_DELAY_SPREAD_MS = 40_000;

    static Workload preload(final String servers, final String topic, final long inferences, final boolean keyed, final double labelShare)
        throws Exception {
        final String labelsTopic = topic + "-labels";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(topic, PipelineBenchmark.PARTITIONS, (short) -1).configs(Map.of("retention.ms", "-1")),
                new NewTopic(labelsTopic, PipelineBenchmark.PARTITIONS, (short) -1).configs(Map.of("retention.ms", "-1")))).all().get();
        }
        final double[] medv = BostonHousing.load().medv();
        final Random labelRandom = new Random(43);
        long labels = 0;
        final BostonHousing data = BostonHousing.load();
        final LinearModel model = LinearModel.fit(data);
        final String names = names(data.featureNames());
        final Random random = new Random(42);
        final long spanMillis = PipelineBenchmark.WINDOW.toMillis() * PipelineBenchmark.WINDOWS;
        final Map<String, Long> rowsPerWindow = new HashMap<>();
        final long start = System.nanoTime();
        long records = 0;
        long responsesInSpan = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(servers),
            new ByteArraySerializer(), new ByteArraySerializer())) {
            final StringBuilder body = new StringBuilder(512);
            for (long i = 0; i < inferences; i++) {
                final long eventTime = PipelineBenchmark.T0.toEpochMilli() + i * spanMillis / inferences;
                final boolean canary = random.nextInt(4) == 0;
                final String variant = canary ? "v2" : "v1";
                final String requestId = "req-" + i;
                final int house = random.nextInt(data.size());
                final double[] row = data.row(house);
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
                if (responseTime < PipelineBenchmark.T0.toEpochMilli() + spanMillis) {
                    responsesInSpan++; // the last few fall into the window after the span, which is not counted
                }
                records += 2;
                if (labelRandom.nextDouble() < labelShare) {
                    final long labelTime = responseTime + MIN_LABEL_DELAY_MS + (long) (labelRandom.nextDouble() * LABEL_DELAY_SPREAD_MS);
                    final String label = "{\"requestId\":\"" + requestId + "\",\"truth\":" + medv[house] * 1000 + ",\"time\":" + labelTime + "}";
                    producer.send(new ProducerRecord<>(labelsTopic, null, labelTime, utf8(requestId), utf8(label)));
                    labels++;
                }
                rowsPerWindow.merge(variant + "@" + (eventTime - PipelineBenchmark.T0.toEpochMilli()) / PipelineBenchmark.WINDOW.toMillis(), 1L, Long::sum);
            }
            producer.flush();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final long largest = rowsPerWindow.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return new Workload(topic, inferences, records, responsesInSpan, rowsPerWindow.size(), largest,
            PipelineBenchmark.T0.plusMillis(spanMillis), seconds, labelsTopic, labels);
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
            for (int partition = 0; partition < PipelineBenchmark.PARTITIONS; partition++) {
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

    static final int CLOSING_RECORDS = PipelineBenchmark.PARTITIONS * 2 * 2;
    static final String SELDON_REQUEST = "io.seldon.serving.inference.request";
    static final String SELDON_RESPONSE = "io.seldon.serving.inference.response";

    /** A record as Seldon Core v1's executor logs it straight to Kafka: bare headers, the record timestamp as event time. */
    static ProducerRecord<byte[], byte[]> v1Record(final String topic, final byte[] key, final String type, final String requestId,
                                                   final String variant, final String body, final long timestamp) {
        final RecordHeaders headers = new RecordHeaders();
        headers.add("type", utf8(type));
        headers.add("requestid", utf8(requestId));
        headers.add("inferenceservicename", utf8(PipelineBenchmark.DEPLOYMENT));
        headers.add("endpoint", utf8(variant));
        headers.add("modelid", utf8(PipelineBenchmark.MODEL));
        headers.add("namespace", utf8(PipelineBenchmark.NAMESPACE));
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
}
