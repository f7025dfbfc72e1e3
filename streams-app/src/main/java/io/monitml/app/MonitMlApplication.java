package io.monitml.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.TopologySettings;
import io.monitml.embedded.EmbeddedRuntime;
import io.monitml.http.CloudEventIngest;
import io.monitml.http.HttpApi;
import io.monitml.http.HttpTls;
import io.monitml.http.StaticPage;
import io.monitml.metrics.MonitMlMetrics;
import io.monitml.query.QueryApi;
import io.monitml.serde.RegistryAvroSerdes;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.CompositeListener;
import io.monitml.topology.MonitMlTopology;
import io.monitml.topology.PipelineListener;

/**
 * The running application: (optionally) the embedded broker and registry, the topics, the Kafka
 * Streams pipeline, its metrics and the HTTP port. {@link #close()} stops them in reverse order.
 */
public final class MonitMlApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitMlApplication.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final MonitMlConfig config;
    private final EmbeddedRuntime runtime;
    private final PrometheusMeterRegistry meterRegistry;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final HttpApi http;
    private final Producer<byte[], byte[]> ingestProducer;
    private final ScheduledExecutorService housekeeping;
    private boolean closed;

    private MonitMlApplication(final MonitMlConfig config, final EmbeddedRuntime runtime, final PrometheusMeterRegistry meterRegistry,
                               final KafkaStreams streams, final KafkaStreamsMetrics streamsMetrics, final HttpApi http,
                               final Producer<byte[], byte[]> ingestProducer, final ScheduledExecutorService housekeeping) {
        this.ingestProducer = ingestProducer;
        this.housekeeping = housekeeping;
        this.config = config;
        this.runtime = runtime;
        this.meterRegistry = meterRegistry;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.http = http;
    }

    /**
     * Starts everything and returns once Kafka Streams has been started (not yet necessarily RUNNING).
     *
     * @param extraListener told about the pipeline besides the metrics (the demo's console table)
     */
    public static MonitMlApplication start(final MonitMlConfig requested, final PipelineListener extraListener) {
        final long startNanos = System.nanoTime();
        // A missing keystore or a wrong password stops start-up here, before anything else starts.
        final javax.net.ssl.SSLContext tls = requested.http().tls()
            ? HttpTls.context(requested.http().tlsKeystore(), requested.http().tlsKeystorePassword()) : null;
        EmbeddedRuntime runtime = null;
        MonitMlConfig config = requested;
        if (requested.embedded()) {
            runtime = EmbeddedRuntime.start(requested.dataDir(), requested.embeddedKafkaPort(), requested.embeddedRegistryPort());
            config = requested.withConnection(runtime.bootstrapServers(), runtime.schemaRegistryUrl());
        }
        final long runtimeMillis = (System.nanoTime() - startNanos) / 1_000_000;
        try {
            // Wrong credentials or a listener that needs SASL or TLS end start-up here, with the reason, within a bounded time.
            final Map<String, Object> adminSettings = adminSettings(config);
            try (Admin admin = KafkaConnectionCheck.admin(adminSettings)) {
                KafkaConnectionCheck.check(admin, adminSettings, config.kafkaTimeout());
                if (config.createTopics()) {
                    TopicCreator.createMissing(admin, config.topics(), config.topology().sources(), config.topicPartitions(),
                        config.replicationFactor());
                }
                final io.monitml.ingest.Limits limits = config.topology().limits();
                config = config.withTopology(config.topology().withLimits(limits.withMaxRecordBytes(
                    TopicLimits.smallestOf(admin, config.topics(), limits.maxRecordBytes(), config.kafkaTimeout()))));
                final TopologySettings.GroundTruth truth = config.topology().groundTruth();
                if (truth.enabled()) {
                    config = config.withTopology(config.topology().withGroundTruth(truth.withInPlacePartitions(
                        JoinPartitions.inPlace(admin, config.topics(), config.topology().sources(), config.kafkaTimeout()))));
                }
            }
            final PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            bindJvmMetrics(meterRegistry);
            final MonitMlMetrics metrics = new MonitMlMetrics(meterRegistry);
            final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
                final Thread thread = new Thread(runnable, "monitml-metrics-expiry");
                thread.setDaemon(true);
                return thread;
            });
            metrics.watchUnits(config.topology().limits().maxUnits());
            metrics.watchResultTopics(config.topics().written());
            metrics.watchPerformance(config.topology().groundTruth().minLabels());
            final Duration expiry = config.seriesExpiry();
            final long checkEvery = Math.max(1_000, Math.min(30_000, expiry.toMillis() / 4));
            housekeeping.scheduleAtFixedRate(() -> metrics.expireIdleUnits(expiry), checkEvery, checkEvery, TimeUnit.MILLISECONDS);
            final PipelineListener listener = CompositeListener.of(metrics.pipeline(), extraListener);
            final SchemaRegistryClient registryClient = new SchemaRegistryClient(config.schemaRegistryUrl(), config.schemaRegistryUserInfo());
            final Topology topology = new MonitMlTopology(config.topology(),
                new RegistryAvroSerdes(registryClient), listener).build();
            final Producer<byte[], byte[]> ingestProducer = config.ingest().enabled() ? ingestProducer(config) : null;
            final CloudEventIngest ingest = ingestProducer == null ? null : new CloudEventIngest(ingestProducer,
                config.topics().raw(), CloudEventIngest.Settings.defaults().withMaxBodyBytes(config.ingest().maxBodyBytes())
                    .withReadTimeout(config.http().readTimeout()).withToken(config.ingest().token())
                    .withMaxInFlightBytes(ingestInFlightBytes(config)), metrics.ingest(), Clock.systemUTC());
            // The HTTP port is bound first: its actual port is this instance's address for the others (application.server).
            final HttpApi.Bound port = HttpApi.bind(config.httpHost(), config.httpPort(), httpSettings(config, tls));
            final String server = config.kafka().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
            final HostInfo self = server == null ? new HostInfo(advertisedHost(config), port.port()) : HostInfo.buildFromEndpoint(server);
            final KafkaStreams streams;
            try {
                streams = new KafkaStreams(topology, StreamsProperties.of(config, listener, self));
            } catch (RuntimeException e) {
                port.close();
                throw e;
            }
            final CloudEventIngest labels = ingest == null || !config.topology().groundTruth().enabled() ? null
                : ingest.forLabels(config.topics().labels());
            final HttpApi http = port.serve(meterRegistry, streams::state, ingest, labels, new StaticPage("/ui/", "/io/monitml/ui/"),
                new QueryApi(streams, self, config.http().scheme(), config.api().token(), config.topology(), meterRegistry,
                    Clock.systemUTC()));
            metrics.watchShedRequests(http::shedRequests);
            streams.setUncaughtExceptionHandler(exception -> {
                LOG.error("A stream thread failed; replacing it", exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING && before == KafkaStreams.State.REBALANCING) {
                    LOG.info("MonitML is running ({} ms after start; broker and registry took {} ms)",
                        (System.nanoTime() - startNanos) / 1_000_000, runtimeMillis);
                }
            });
            final KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(meterRegistry);
            streams.start();
            LOG.info("Reading {}, writing {}; state in {}", config.topics().raw(), config.topics().predictionStats(),
                config.dataDir().resolve("streams").toAbsolutePath());
            return new MonitMlApplication(config, runtime, meterRegistry, streams, streamsMetrics, http, ingestProducer, housekeeping);
        } catch (RuntimeException e) {
            if (runtime != null) {
                runtime.close();
            }
            throw e;
        }
    }

    private static HttpApi.Settings httpSettings(final MonitMlConfig config, final javax.net.ssl.SSLContext tls) {
        return HttpApi.Settings.of(config.http().threads())
            .withTimeouts(config.http().readTimeout(), config.http().idleTimeout())
            .withMaxConnections(config.http().maxConnections())
            .withTls(tls);
    }

    /** The configured advertised host, else the HTTP host, else (HTTP on every interface) this machine's name. */
    static String advertisedHost(final MonitMlConfig config) {
        if (config.api().advertisedHost() != null) {
            return config.api().advertisedHost();
        }
        final String host = config.httpHost();
        if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOG.warn("Cannot name this machine ({}); other instances will reach this one at localhost: set MONITML_ADVERTISED_HOST",
                e.getMessage());
            return "localhost";
        }
    }

    /**
     * Acknowledged by all in-sync replicas before the endpoint answers 202: an accepted event is never lost.
     * Records linger up to {@value #INGEST_LINGER_MS} ms to share a batch, uncompressed. The Kafka settings
     * ({@code --kafka-config}, {@code KAFKA_*}, {@code --kafka}) override {@code linger.ms}, {@code batch.size}
     * and {@code compression.type} (lz4 and zstd are on the class path); acks and idempotence stay.
     *
     * <p>Measured with {@code benchmarks/ingest.sh} (64 closed-loop senders, one partition, 2 cores): a longer
     * linger (5 ms, batches of 64 KiB) or lz4 cost CPU per event and throughput rather than saving them;
     * each sender waits for its own acknowledgement, so a linger is latency every sender pays, and the
     * producer batches on its own while earlier requests are in flight (5 per connection).
     */
    static Map<String, Object> ingestProducerSettings(final MonitMlConfig config) {
        final Map<String, Object> settings = new java.util.HashMap<>();
        settings.put(ProducerConfig.LINGER_MS_CONFIG, INGEST_LINGER_MS);
        settings.putAll(config.kafka());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) CloudEventIngest.DEFAULT_SEND_TIMEOUT.toMillis());
        // Room for the largest accepted body plus its CloudEvents headers.
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.ingest().maxBodyBytes() + (64 << 10));
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-ingest");
        return settings;
    }

    static final int INGEST_LINGER_MS = 2;

    private static Producer<byte[], byte[]> ingestProducer(final MonitMlConfig config) {
        return new KafkaProducer<>(ingestProducerSettings(config), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Ingest's in-flight limit: half the ingest producer's {@code buffer.memory} (32 MiB unless the
     * Kafka settings say otherwise), so that a send does not wait for room in it while Kafka is slow.
     */
    static long ingestInFlightBytes(final MonitMlConfig config) {
        final String configured = config.kafka().get(ProducerConfig.BUFFER_MEMORY_CONFIG);
        final long bufferMemory = configured == null || configured.isBlank() ? 32L << 20 : Long.parseLong(configured.trim());
        return Math.max(1, bufferMemory / 2);
    }

    private static Map<String, Object> adminSettings(final MonitMlConfig config) {
        final Map<String, Object> settings = new java.util.HashMap<>(config.kafka());
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return settings;
    }

    private static void bindJvmMetrics(final PrometheusMeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The configuration in effect, with the embedded broker's and registry's addresses filled in. */
    public MonitMlConfig config() {
        return config;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public int httpPort() {
        return http.port();
    }

    public PrometheusMeterRegistry meterRegistry() {
        return meterRegistry;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Stopping MonitML");
        http.close();
        housekeeping.shutdownNow();
        if (ingestProducer != null) {
            ingestProducer.close(CLOSE_TIMEOUT);
        }
        // Leaving the group lets a restarted or remaining instance take the tasks over at once
        // instead of after the session timeout of a member that will never come back.
        if (!streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
            LOG.warn("Kafka Streams did not stop within {}", CLOSE_TIMEOUT);
        }
        streamsMetrics.close();
        meterRegistry.close();
        if (runtime != null) {
            runtime.close();
        }
        LOG.info("MonitML stopped");
    }
}
