package io.monitml.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import io.monitml.config.MonitMlConfig;
import io.monitml.config.TopologySettings;

/** The ingest producer's settings: its defaults, what the Kafka settings may override, and what they may not. */
class IngestProducerSettingsTest {

    @Test
    void theKafkaSettingsTuneBatchingButNeverWeakenTheAcknowledgement() {
        final Map<String, Object> defaults = MonitMlApplication.ingestProducerSettings(config(Map.of()));
        assertThat(defaults).containsEntry(ProducerConfig.LINGER_MS_CONFIG, MonitMlApplication.INGEST_LINGER_MS)
            .containsEntry(ProducerConfig.ACKS_CONFIG, "all").containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
            .doesNotContainKey(ProducerConfig.COMPRESSION_TYPE_CONFIG);

        final Map<String, Object> tuned = MonitMlApplication.ingestProducerSettings(config(Map.of("linger.ms", "20",
            "batch.size", "262144", "compression.type", "zstd", "acks", "1", "enable.idempotence", "false")));
        assertThat(tuned).containsEntry("linger.ms", "20").containsEntry("batch.size", "262144")
            .containsEntry("compression.type", "zstd")
            .containsEntry(ProducerConfig.ACKS_CONFIG, "all").containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Test
    void theInFlightLimitIsHalfTheProducersBufferMemory() {
        assertThat(MonitMlApplication.ingestInFlightBytes(config(Map.of()))).isEqualTo(16L << 20);
        assertThat(MonitMlApplication.ingestInFlightBytes(config(Map.of("buffer.memory", "8388608")))).isEqualTo(4L << 20);
    }

    private static MonitMlConfig config(final Map<String, String> kafka) {
        return MonitMlConfig.builder().bootstrapServers("127.0.0.1:9092").schemaRegistryUrl("http://127.0.0.1:8081")
            .applicationId("ingest-settings").dataDir(Path.of("unused")).http("127.0.0.1", 0)
            .topology(TestConfigs.topology(TopologySettings.Sources.cloudEventsOnly(), Duration.ofSeconds(10),
                new TopologySettings.Pairing(true, Duration.ofSeconds(10))))
            .kafka(kafka).build();
    }
}
