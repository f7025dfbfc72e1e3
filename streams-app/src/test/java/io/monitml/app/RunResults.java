package io.monitml.app;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.monitml.avro.DriftReport;
import io.monitml.avro.PredictionStats;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.DeadLetterHandler;

/**
 * What one run of the application published on its result and dead-letter topics (read committed):
 * each window's statistics and drift report by {@code variant@windowStart} (other units than the
 * demo's by their whole key), the keys published more
 * than once, and the dead letters by reason. For tests that compare a run with a reference run.
 */
record RunResults(Map<String, PredictionStats> stats, Map<String, DriftReport> drift, List<String> repeated,
                  Map<String, Long> deadLetters) {

    long deadLetterCount() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The topics of one run. */
    record Topics(String stats, String drift, String deadLetters) {

        static Topics of(final String run) {
            return new Topics("stats." + run, "drift." + run, "dead-letters." + run);
        }
    }

    /**
     * Reads the run's topics to their end; with {@code until} non-empty, polls until every key in it
     * has statistics and a drift report, within {@code patience}.
     */
    static RunResults read(final String bootstrapServers, final String registryUrl, final Topics topics, final Set<String> until,
                           final Duration patience) {
        final Map<String, PredictionStats> stats = new TreeMap<>();
        final Map<String, DriftReport> drift = new TreeMap<>();
        final List<String> repeated = new ArrayList<>();
        final Map<String, Long> deadLetters = new TreeMap<>();
        final SchemaRegistryClient client = new SchemaRegistryClient(registryUrl);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.GROUP_ID_CONFIG, "results-reader-" + System.nanoTime()), new StringDeserializer(), new ByteArrayDeserializer())) {
            final Deserializer<PredictionStats> statsReader = new AvroDeserializer<>(PredictionStats.class, client, false);
            final Deserializer<DriftReport> driftReader = new AvroDeserializer<>(DriftReport.class, client, false);
            consumer.subscribe(List.of(topics.stats(), topics.drift(), topics.deadLetters()));
            await().atMost(patience).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(topics.deadLetters())) {
                        final Header reason = record.headers().lastHeader(DeadLetterHandler.REASON_HEADER);
                        deadLetters.merge(reason == null ? "none" : new String(reason.value(), java.nio.charset.StandardCharsets.UTF_8),
                            1L, Long::sum);
                    } else if (record.topic().equals(topics.stats())) {
                        final PredictionStats value = statsReader.deserialize(record.topic(), record.value());
                        keep(stats, key(value.getUnit(), value.getWindowStart()), value, repeated);
                    } else {
                        final DriftReport value = driftReader.deserialize(record.topic(), record.value());
                        keep(drift, key(value.getUnit(), value.getWindowStart()), value, repeated);
                    }
                }
                return consumer.assignment().size() == 3
                    && consumer.assignment().stream().allMatch(p -> consumer.position(p) >= consumer.endOffsets(Set.of(p)).get(p))
                    && stats.keySet().containsAll(until) && drift.keySet().containsAll(until);
            });
        }
        return new RunResults(stats, drift, repeated, deadLetters);
    }

    /** The demo's units by variant ({@link ScriptedTraffic#key}), any other by its whole key. */
    private static String key(final io.monitml.avro.ModelUnit unit, final java.time.Instant windowStart) {
        return unit.getDeployment().equals("housing") ? ScriptedTraffic.key(unit.getVariant(), windowStart)
            : io.monitml.ingest.Unit.fromAvro(unit).key() + "@" + windowStart;
    }

    private static <T> void keep(final Map<String, T> results, final String key, final T value, final List<String> repeated) {
        if (results.put(key, value) != null) {
            repeated.add(key);
        }
    }

    /** The differences between this run's and {@code expected}'s statistics and drift reports of the {@code compared} windows. */
    List<String> differencesFrom(final RunResults expected, final Iterable<String> compared) {
        final List<String> differences = new ArrayList<>();
        for (String key : compared) {
            compare(key + " statistics", expected.stats().get(key), stats().get(key), differences);
            compare(key + " drift", expected.drift().get(key), drift().get(key), differences);
        }
        return differences;
    }

    /** Field by field; doubles equal to 1e-9 relative (partials may merge in another order: sums round differently). */
    private static void compare(final String path, final Object expected, final Object actual, final List<String> differences) {
        if (expected instanceof SpecificRecord record && actual instanceof GenericRecord other) {
            for (Schema.Field field : record.getSchema().getFields()) {
                compare(path + "." + field.name(), record.get(field.pos()), other.get(field.pos()), differences);
            }
        } else if (expected instanceof List<?> list && actual instanceof List<?> others && list.size() == others.size()) {
            for (int i = 0; i < list.size(); i++) {
                compare(path + "[" + i + "]", list.get(i), others.get(i), differences);
            }
        } else if (expected instanceof Double a && actual instanceof Double b) {
            if (!(a.equals(b) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b))))) {
                differences.add(path + ": " + a + " != " + b);
            }
        } else if (!Objects.equals(String.valueOf(expected), String.valueOf(actual))) {
            differences.add(path + ": " + expected + " != " + actual);
        }
    }
}
