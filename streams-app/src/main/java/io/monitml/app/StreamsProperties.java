package io.monitml.app;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import io.monitml.config.MonitMlConfig;
import io.monitml.topology.DeadLetterHandler;
import io.monitml.topology.DriftRecords;
import io.monitml.topology.PipelineListener;

/** The Kafka Streams settings MonitML runs with; user settings ({@code KAFKA_*}, {@code --kafka}) win. */
final class StreamsProperties {

    private StreamsProperties() {
    }

    /** @param self this instance's HTTP address, where the others forward queries for keys it owns */
    static Properties of(final MonitMlConfig config, final PipelineListener listener, final HostInfo self) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.dataDir().resolve("streams").toAbsolutePath().toString());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topics().deadLetter());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.LISTENER_CONFIG, listener);
        props.put(DeadLetterHandler.MAX_BYTES_CONFIG, config.topology().limits().maxRecordBytes());
        // Repartition and changelog topics carry the windows' partials, whose size the limits bound
        // (DriftRecords.maxPartialBytes): Kafka Streams creates those topics, and takes records that large.
        final int internal = InternalTopics.maxRecordBytes(config.topology().limits());
        props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), internal);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), internal + (64 << 10));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        // The CloudEvents topic and the v1 logger topic share one task per partition, and one of them is
        // usually empty. Waiting to synchronise their times gains nothing (windows have a grace period)
        // and costs the stream thread about a tenth of its time (benchmarks: PipelineBenchmark, JFR).
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // A window closes when the merging stage reads, in a committed transaction, a partial past its
        // end and grace. With little traffic a fetch waits for data up to fetch.max.wait.ms (500 ms by
        // default) after the commit made it readable: a tenth of that keeps the results of quiet units
        // on time for ten fetches a second per idle partition, and changes nothing under load.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        // The joined rows, the pairing repartition and the changelogs are many small records: batches of
        // 512 KiB instead of 16 KiB cut the broker's work per record (PipelineBenchmark at 10^6 inferences:
        // 71,583 -> 84,171 input records/s, 36.9 -> 32.2 s of CPU). Within the producer's buffer.memory.
        // A batch.size of the user's, prefixed or not, wins (a prefixed setting would beat an unprefixed one).
        if (!config.kafka().containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
            props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), BATCH_BYTES);
        }
        if (config.replicationFactor() > 0) {
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        }
        props.putAll(config.kafka());
        return props;
    }

    /** The Streams producers' batch size. */
    static final int BATCH_BYTES = 512 << 10;
}
