package io.monitml.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The benchmark's yardsticks (a) and (b): a plain consumer reading the pre-loaded topic, without and
 * with parsing each record's JSON body, to set the pipeline's rate beside what reading alone costs.
 */
final class PlainConsumer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlainConsumer() {
    }

    static long readAll(final String servers, final String topic, final long expected, final boolean parse) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long read = 0;
        long checksum = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PipelineBenchmark.PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.nanoTime() + PipelineBenchmark.PATIENCE.toNanos();
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
}
