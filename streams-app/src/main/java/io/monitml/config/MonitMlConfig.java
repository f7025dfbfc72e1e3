package io.monitml.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;


/**
 * Every setting of the application, built from command-line flags and {@code MONITML_*}
 * environment variables (see the README's table). An empty bootstrap-servers setting means
 * "start the embedded broker and schema registry".
 *
 * @param kafka extra Kafka client and Streams settings ({@code --kafka-config} file, {@code KAFKA_*} variables, {@code --kafka key=value});
 *              they win over MonitML's own, and print with their secrets hidden
 * @param kafkaTimeout how long start-up waits for Kafka to answer before it gives up and says why
 * @param http         the HTTP port's hardening: timeouts, threads, connections, TLS
 */
public record MonitMlConfig(
    String bootstrapServers,
    String schemaRegistryUrl,
    String schemaRegistryUserInfo,
    String applicationId,
    Path dataDir,
    String httpHost,
    int httpPort,
    int embeddedKafkaPort,
    int embeddedRegistryPort,
    TopologySettings topology,
    Ingest ingest,
    Api api,
    java.time.Duration seriesExpiry,
    String processingGuarantee,
    int streamThreads,
    boolean createTopics,
    int topicPartitions,
    short replicationFactor,
    Map<String, String> kafka,
    java.time.Duration kafkaTimeout,
    Http http) {

    public MonitMlConfig {
        bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.trim();
        schemaRegistryUrl = schemaRegistryUrl == null ? "" : schemaRegistryUrl.trim();
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(seriesExpiry, "seriesExpiry");
        http = http == null ? Http.DEFAULTS : http;
        kafka = KafkaSettings.hidingSecrets(kafka);
        if (kafkaTimeout == null || kafkaTimeout.isNegative() || kafkaTimeout.isZero()) {
            throw new IllegalArgumentException("the Kafka timeout must be positive: " + kafkaTimeout);
        }
        if (!bootstrapServers.isEmpty() && schemaRegistryUrl.isEmpty()) {
            throw new IllegalArgumentException("With bootstrap servers " + bootstrapServers
                + " set, the schema registry URL must be set too (MONITML_SCHEMA_REGISTRY_URL or --schema-registry-url)");
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("stream threads must be at least 1: " + streamThreads);
        }
        if (topicPartitions < 1) {
            throw new IllegalArgumentException("topic partitions must be at least 1: " + topicPartitions);
        }
    }

    /**
     * The HTTP endpoint for Seldon's request logger.
     *
     * @param maxBodyBytes larger requests are refused with 413
     * @param token        bearer token every ingest request must carry; null: no authentication
     */
    public record Ingest(boolean enabled, int maxBodyBytes, String token) {

        /** Without a token. */
        public Ingest(final boolean enabled, final int maxBodyBytes) {
            this(enabled, maxBodyBytes, null);
        }

        public Ingest {
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("the ingest body limit must be positive: " + maxBodyBytes);
            }
            token = token == null || token.isBlank() ? null : token.strip();
        }

        @Override
        public String toString() {
            return "Ingest[enabled=" + enabled + ", maxBodyBytes=" + maxBodyBytes + ", token=" + (token == null ? "none" : "(set)") + "]";
        }
    }

    /**
     * The HTTP port's hardening (see {@code HttpApi}).
     *
     * @param readTimeout         a request whose line and headers are not all in within it of their first byte is closed;
     *                            an ingest body must arrive within it too
     * @param idleTimeout         a connection with nothing to read or write for this long is closed
     * @param threads             requests (other than /health and /metrics) served at once; 64 times as many may wait
     *                            for a turn, beyond that 503
     * @param maxConnections      open connections at most
     * @param tlsKeystore         PKCS12 keystore to serve HTTPS with; null: plain HTTP
     * @param tlsKeystorePassword its password; null: none
     */
    public record Http(java.time.Duration readTimeout, java.time.Duration idleTimeout, int threads, int maxConnections,
                       Path tlsKeystore, String tlsKeystorePassword) {

        public static final Http DEFAULTS = new Http(Defaults.duration(Defaults.HTTP_READ_TIMEOUT),
            Defaults.duration(Defaults.HTTP_IDLE_TIMEOUT), Defaults.HTTP_THREADS, Defaults.HTTP_MAX_CONNECTIONS, null, null);

        /** With the default idle timeout and connection limit. */
        public Http(final java.time.Duration readTimeout, final int threads, final Path tlsKeystore, final String tlsKeystorePassword) {
            this(readTimeout, DEFAULTS.idleTimeout(), threads, DEFAULTS.maxConnections(), tlsKeystore, tlsKeystorePassword);
        }

        public Http {
            if (readTimeout == null || readTimeout.compareTo(java.time.Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("the HTTP read timeout must be at least 100ms: " + readTimeout);
            }
            if (idleTimeout == null || idleTimeout.compareTo(java.time.Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("the HTTP idle timeout must be at least 100ms: " + idleTimeout);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("the HTTP threads must be at least 1: " + threads);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("the HTTP connection limit must be at least 1: " + maxConnections);
            }
            tlsKeystore = tlsKeystore == null || tlsKeystore.toString().isBlank() ? null : tlsKeystore;
        }

        public boolean tls() {
            return tlsKeystore != null;
        }

        /** The scheme this instance's HTTP port is reached by. */
        public String scheme() {
            return tls() ? "https" : "http";
        }

        @Override
        public String toString() {
            return "Http[readTimeout=" + readTimeout + ", idleTimeout=" + idleTimeout + ", threads=" + threads
                + ", maxConnections=" + maxConnections + ", tlsKeystore=" + tlsKeystore
                + ", tlsKeystorePassword=" + (tlsKeystorePassword == null ? "none" : "(set)") + "]";
        }
    }

    /**
     * The query API over the state stores.
     *
     * @param advertisedHost the host name other instances reach this one's HTTP port by (Kafka Streams'
     *                       {@code application.server}); null: the HTTP host, or this machine's name when that is a wildcard
     * @param token          bearer token every {@code /api} request must carry; null: no authentication
     */
    public record Api(String advertisedHost, String token) {

        public static final Api OPEN = new Api(null, null);

        public Api {
            advertisedHost = advertisedHost == null || advertisedHost.isBlank() ? null : advertisedHost.trim();
            token = token == null || token.isBlank() ? null : token.strip();
        }

        @Override
        public String toString() {
            return "Api[advertisedHost=" + advertisedHost + ", token=" + (token == null ? "none" : "(set)") + "]";
        }
    }

    /** True when no cluster is configured and the embedded broker and registry run in this JVM. */
    public boolean embedded() {
        return bootstrapServers.isEmpty();
    }

    public Topics topics() {
        return topology.topics();
    }

    public MonitMlConfig withTopology(final TopologySettings settings) {
        return toBuilder().topology(settings).build();
    }

    public MonitMlConfig withConnection(final String servers, final String registryUrl) {
        return toBuilder().bootstrapServers(servers).schemaRegistryUrl(registryUrl).build();
    }

    /** Every setting at its default ({@link Defaults}): the embedded broker and registry, HTTP on 127.0.0.1:8080. */
    public static MonitMlConfigBuilder builder() {
        return new MonitMlConfigBuilder();
    }

    /** This configuration's settings, to change some. */
    public MonitMlConfigBuilder toBuilder() {
        final MonitMlConfigBuilder builder = new MonitMlConfigBuilder();
        builder.bootstrapServers = bootstrapServers;
        builder.schemaRegistryUrl = schemaRegistryUrl;
        builder.schemaRegistryUserInfo = schemaRegistryUserInfo;
        builder.applicationId = applicationId;
        builder.dataDir = dataDir;
        builder.httpHost = httpHost;
        builder.httpPort = httpPort;
        builder.embeddedKafkaPort = embeddedKafkaPort;
        builder.embeddedRegistryPort = embeddedRegistryPort;
        builder.topology = topology;
        builder.ingest = ingest;
        builder.api = api;
        builder.seriesExpiry = seriesExpiry;
        builder.processingGuarantee = processingGuarantee;
        builder.streamThreads = streamThreads;
        builder.createTopics = createTopics;
        builder.topicPartitions = topicPartitions;
        builder.replicationFactor = replicationFactor;
        builder.kafka = kafka;
        builder.kafkaTimeout = kafkaTimeout;
        builder.http = http;
        return builder;
    }
}
