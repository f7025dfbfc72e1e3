package io.monitml.config;

import java.nio.file.Path;
import java.util.Map;

/** Builds a configuration; each setting starts at its default, and {@link #build()} checks them together. */
public final class MonitMlConfigBuilder {

    String bootstrapServers = "";
    String schemaRegistryUrl = "";
    String schemaRegistryUserInfo;
    String applicationId = Defaults.APPLICATION_ID;
    Path dataDir = Path.of(Defaults.DATA_DIR);
    String httpHost = "127.0.0.1";
    int httpPort = Defaults.HTTP_PORT;
    int embeddedKafkaPort = Defaults.EMBEDDED_KAFKA_PORT;
    int embeddedRegistryPort = Defaults.EMBEDDED_REGISTRY_PORT;
    TopologySettings topology = Defaults.topology();
    MonitMlConfig.Ingest ingest = new MonitMlConfig.Ingest(Defaults.INGEST, Defaults.INGEST_MAX_BODY);
    MonitMlConfig.Api api = MonitMlConfig.Api.OPEN;
    java.time.Duration seriesExpiry = Defaults.duration(Defaults.SERIES_EXPIRY);
    String processingGuarantee = Defaults.PROCESSING_GUARANTEE;
    int streamThreads = Defaults.STREAM_THREADS;
    boolean createTopics = Defaults.CREATE_TOPICS;
    int topicPartitions = Defaults.TOPIC_PARTITIONS;
    short replicationFactor = Defaults.REPLICATION_FACTOR;
    Map<String, String> kafka = Map.of();
    java.time.Duration kafkaTimeout = Defaults.duration(Defaults.KAFKA_TIMEOUT);
    MonitMlConfig.Http http = MonitMlConfig.Http.DEFAULTS;

    MonitMlConfigBuilder() {
    }

    /** Empty: the embedded broker and schema registry. */
    public MonitMlConfigBuilder bootstrapServers(final String servers) {
        this.bootstrapServers = servers;
        return this;
    }

    public MonitMlConfigBuilder schemaRegistryUrl(final String url) {
        this.schemaRegistryUrl = url;
        return this;
    }

    public MonitMlConfigBuilder schemaRegistryUserInfo(final String userInfo) {
        this.schemaRegistryUserInfo = userInfo;
        return this;
    }

    public MonitMlConfigBuilder applicationId(final String id) {
        this.applicationId = id;
        return this;
    }

    public MonitMlConfigBuilder dataDir(final Path dir) {
        this.dataDir = dir;
        return this;
    }

    /** The HTTP port's address and port (0: any free port). */
    public MonitMlConfigBuilder http(final String host, final int port) {
        this.httpHost = host;
        this.httpPort = port;
        return this;
    }

    /** The embedded broker's and registry's ports (0: any free port). */
    public MonitMlConfigBuilder embeddedPorts(final int kafkaPort, final int registryPort) {
        this.embeddedKafkaPort = kafkaPort;
        this.embeddedRegistryPort = registryPort;
        return this;
    }

    public MonitMlConfigBuilder topology(final TopologySettings settings) {
        this.topology = settings;
        return this;
    }

    public MonitMlConfigBuilder ingest(final MonitMlConfig.Ingest settings) {
        this.ingest = settings;
        return this;
    }

    public MonitMlConfigBuilder api(final MonitMlConfig.Api settings) {
        this.api = settings;
        return this;
    }

    public MonitMlConfigBuilder seriesExpiry(final java.time.Duration expiry) {
        this.seriesExpiry = expiry;
        return this;
    }

    public MonitMlConfigBuilder processingGuarantee(final String guarantee) {
        this.processingGuarantee = guarantee;
        return this;
    }

    public MonitMlConfigBuilder streamThreads(final int threads) {
        this.streamThreads = threads;
        return this;
    }

    /** Whether missing topics are created at start, with these partitions and replication factor (-1: the broker's). */
    public MonitMlConfigBuilder topics(final boolean create, final int partitions, final short replication) {
        this.createTopics = create;
        this.topicPartitions = partitions;
        this.replicationFactor = replication;
        return this;
    }

    /** Extra Kafka client and Streams settings, which win over MonitML's own. */
    public MonitMlConfigBuilder kafka(final Map<String, String> settings) {
        this.kafka = settings;
        return this;
    }

    public MonitMlConfigBuilder kafkaTimeout(final java.time.Duration timeout) {
        this.kafkaTimeout = timeout;
        return this;
    }

    public MonitMlConfigBuilder http(final MonitMlConfig.Http settings) {
        this.http = settings;
        return this;
    }

    public MonitMlConfig build() {
        return new MonitMlConfig(bootstrapServers, schemaRegistryUrl, schemaRegistryUserInfo, applicationId, dataDir, httpHost,
            httpPort, embeddedKafkaPort, embeddedRegistryPort, topology, ingest, api, seriesExpiry, processingGuarantee, streamThreads,
            createTopics, topicPartitions, replicationFactor, kafka, kafkaTimeout, http);
    }
}
