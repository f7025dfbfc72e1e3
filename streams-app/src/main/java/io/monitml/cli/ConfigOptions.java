package io.monitml.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.monitml.config.Defaults;
import io.monitml.config.Durations;
import io.monitml.config.KafkaSettings;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.Topics;
import io.monitml.config.TopologySettings;
import io.monitml.drift.DriftSettings;
import io.monitml.ingest.Limits;
import io.monitml.ingest.ModelSchemas;
import io.monitml.stats.Correction;
import picocli.CommandLine.Option;

/**
 * The settings shared by every command that runs the pipeline. Each flag defaults to its
 * {@code MONITML_*} environment variable, then to the built-in default ({@link Defaults}).
 *
 * <p>Longer than 300 lines on purpose: it is the list of the pipeline's 56 flags, one declaration
 * with its help each, which reads best as the one table that {@code --help} and
 * docs/configuration.md show; the code that turns them into a configuration is the last 60 lines.
 */
final class ConfigOptions {

    /** Every interface: in a pod the kubelet, Prometheus and Seldon's executor reach it by the pod's address. */
    static final String RUN_HTTP_HOST = "0.0.0.0";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
        defaultValue = "${env:MONITML_BOOTSTRAP_SERVERS}",
        description = "Kafka bootstrap servers (env MONITML_BOOTSTRAP_SERVERS). Empty: start the embedded broker and schema registry.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
        defaultValue = "${env:MONITML_SCHEMA_REGISTRY_URL}",
        description = "Confluent-compatible schema registry (env MONITML_SCHEMA_REGISTRY_URL). Required with --bootstrap-servers.")
    String schemaRegistryUrl;

    @Option(names = "--schema-registry-user-info", paramLabel = "USER:PASSWORD",
        defaultValue = "${env:MONITML_SCHEMA_REGISTRY_USER_INFO}",
        description = "Basic-auth credentials for the schema registry (env MONITML_SCHEMA_REGISTRY_USER_INFO).")
    String schemaRegistryUserInfo;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "${env:MONITML_APPLICATION_ID:-" + Defaults.APPLICATION_ID + "}",
        description = "Kafka Streams application id: instances with the same id share the work (env MONITML_APPLICATION_ID). Default: ${DEFAULT-VALUE}.")
    String applicationId;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:MONITML_DATA_DIR:-" + Defaults.DATA_DIR + "}",
        description = "Local state: Kafka Streams stores, and the embedded broker's and registry's data (env MONITML_DATA_DIR). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "${env:MONITML_HTTP_HOST}",
        description = "Address the HTTP port listens on: ingest, /api, /ui, /metrics and /health (env MONITML_HTTP_HOST). Default: 0.0.0.0; the demo: 127.0.0.1.")
    String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:MONITML_HTTP_PORT:-" + Defaults.HTTP_PORT + "}",
        description = "HTTP port, 0 for any free port (env MONITML_HTTP_PORT). Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--embedded-kafka-port", paramLabel = "PORT", defaultValue = "${env:MONITML_EMBEDDED_KAFKA_PORT:-" + Defaults.EMBEDDED_KAFKA_PORT + "}",
        description = "Client port of the embedded broker, 0 for any free port (env MONITML_EMBEDDED_KAFKA_PORT). Default: ${DEFAULT-VALUE}.")
    int embeddedKafkaPort;

    @Option(names = "--embedded-registry-port", paramLabel = "PORT", defaultValue = "${env:MONITML_EMBEDDED_REGISTRY_PORT:-" + Defaults.EMBEDDED_REGISTRY_PORT + "}",
        description = "Port of the embedded schema registry, 0 for any free port (env MONITML_EMBEDDED_REGISTRY_PORT). Default: ${DEFAULT-VALUE}.")
    int embeddedRegistryPort;

    @Option(names = "--raw-topic", paramLabel = "TOPIC", defaultValue = "${env:MONITML_RAW_TOPIC:-" + Topics.DEFAULT_RAW + "}",
        description = "Input topic of Seldon logger events as binary-mode CloudEvents (env MONITML_RAW_TOPIC). Default: ${DEFAULT-VALUE}.")
    String rawTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
        defaultValue = "${env:MONITML_DEAD_LETTER_TOPIC:-" + Topics.DEFAULT_DEAD_LETTER + "}",
        description = "Where records that cannot be processed go, with the reason in headers (env MONITML_DEAD_LETTER_TOPIC). Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(names = "--prediction-stats-topic", paramLabel = "TOPIC",
        defaultValue = "${env:MONITML_PREDICTION_STATS_TOPIC:-" + Topics.DEFAULT_PREDICTION_STATS + "}",
        description = "Output topic of windowed prediction statistics, Avro (env MONITML_PREDICTION_STATS_TOPIC). Default: ${DEFAULT-VALUE}.")
    String predictionStatsTopic;

    @Option(names = "--drift-topic", paramLabel = "TOPIC", defaultValue = "${env:MONITML_DRIFT_TOPIC:-" + Topics.DEFAULT_DRIFT + "}",
        description = "Output topic of windowed drift reports, Avro (env MONITML_DRIFT_TOPIC). Default: ${DEFAULT-VALUE}.")
    String driftTopic;

    @Option(names = "--baselines-topic", paramLabel = "TOPIC",
        defaultValue = "${env:MONITML_BASELINES_TOPIC:-" + Topics.DEFAULT_BASELINES + "}",
        description = "Compacted topic of training baselines, Avro (env MONITML_BASELINES_TOPIC). Default: ${DEFAULT-VALUE}.")
    String baselinesTopic;

    @Option(names = "--inferences-topic", paramLabel = "TOPIC",
        defaultValue = "${env:MONITML_INFERENCES_TOPIC:-" + Topics.DEFAULT_INFERENCES + "}",
        description = "Topic of paired request/response rows, Avro; empty: none are written, latency is still measured "
            + "(env MONITML_INFERENCES_TOPIC). Default: ${DEFAULT-VALUE}.")
    String inferencesTopic;

    @Option(names = "--labels-topic", paramLabel = "TOPIC", defaultValue = "${env:MONITML_LABELS_TOPIC:-" + Topics.DEFAULT_LABELS + "}",
        description = "Topic of labels, the truths of predictions: JSON {requestId, truth, time?} keyed by request id "
            + "(env MONITML_LABELS_TOPIC). Default: ${DEFAULT-VALUE}.")
    String labelsTopic;

    @Option(names = "--performance-topic", paramLabel = "TOPIC",
        defaultValue = "${env:MONITML_PERFORMANCE_TOPIC:-" + Topics.DEFAULT_PERFORMANCE + "}",
        description = "Compacted output topic of realized performance per unit and window, Avro, updated as labels arrive "
            + "(env MONITML_PERFORMANCE_TOPIC). Default: ${DEFAULT-VALUE}.")
    String performanceTopic;

    @Option(names = "--labels", paramLabel = "true|false", arity = "1", defaultValue = "${env:MONITML_LABELS:-" + Defaults.LABELS + "}",
        description = "Keep each prediction for its label and report realized performance (env MONITML_LABELS). Default: ${DEFAULT-VALUE}.")
    boolean labels;

    @Option(names = "--label-horizon", paramLabel = "DURATION",
        defaultValue = "${env:MONITML_LABEL_HORIZON:-" + Defaults.LABEL_HORIZON + "}",
        description = "How long, in event time, a prediction is kept for its label; the state is about the prediction rate "
            + "times this (env MONITML_LABEL_HORIZON). Default: ${DEFAULT-VALUE}.")
    String labelHorizon;

    @Option(names = "--label-wait", paramLabel = "DURATION", defaultValue = "${env:MONITML_LABEL_WAIT:-" + Defaults.LABEL_WAIT + "}",
        description = "How long a label that came before its prediction waits for it, in the predictions' event time (on the clock while none comes) (env MONITML_LABEL_WAIT). Default: ${DEFAULT-VALUE}.")
    String labelWait;

    @Option(names = "--min-labels", paramLabel = "N", defaultValue = "${env:MONITML_MIN_LABELS:-" + Defaults.MIN_LABELS + "}",
        description = "Labels a window needs before its realized performance is exported as gauges (env MONITML_MIN_LABELS). "
            + "Default: ${DEFAULT-VALUE}.")
    long minLabels;

    @Option(names = "--seldon-v1-topic", paramLabel = "TOPIC", defaultValue = "${env:MONITML_SELDON_V1_TOPIC}",
        description = "Also read the Seldon v1 executor's direct Kafka logger topic (its LOGGER_KAFKA_TOPIC, usually seldon); empty: off (env MONITML_SELDON_V1_TOPIC).")
    String seldonV1Topic;

    @Option(names = "--seldon-v2-prefix", paramLabel = "PREFIX", defaultValue = "${env:MONITML_SELDON_V2_PREFIX:-seldon}",
        description = "Also read Seldon Core v2's topics <PREFIX>.<namespace>.model.<model>.inputs and .outputs, by pattern; empty: off (env MONITML_SELDON_V2_PREFIX). Default: ${DEFAULT-VALUE}.")
    String seldonV2Prefix;

    @Option(names = "--models-file", paramLabel = "FILE", defaultValue = "${env:MONITML_MODELS_FILE}",
        description = "JSON file naming the features (and outputs) of models whose payloads carry no names, and which features are categorical (env MONITML_MODELS_FILE); see docs/sources.md.")
    Path modelsFile;

    @Option(names = "--pairing", paramLabel = "true|false", arity = "1", defaultValue = "${env:MONITML_PAIRING:-" + Defaults.PAIRING + "}",
        description = "Pair requests with responses into rows on the inferences topic, with latency (env MONITML_PAIRING). Default: ${DEFAULT-VALUE}.")
    boolean pairing;

    @Option(names = "--pairing-wait", paramLabel = "DURATION", defaultValue = "${env:MONITML_PAIRING_WAIT:-" + Defaults.PAIRING_WAIT + "}",
        description = "How long, in event time, a request waits for its response before it is written alone (env MONITML_PAIRING_WAIT). Default: ${DEFAULT-VALUE}.")
    String pairingWait;

    @Option(names = "--ingest", paramLabel = "true|false", arity = "1", defaultValue = "${env:MONITML_INGEST:-" + Defaults.INGEST + "}",
        description = "Serve the CloudEvents endpoint for Seldon's request logger at POST / and POST /ingest on the HTTP port (env MONITML_INGEST). Default: ${DEFAULT-VALUE}.")
    boolean ingest;

    @Option(names = "--ingest-max-body", paramLabel = "BYTES", defaultValue = "${env:MONITML_INGEST_MAX_BODY:-" + Defaults.INGEST_MAX_BODY + "}",
        description = "Largest request body the ingest endpoint accepts; larger ones get 413 (env MONITML_INGEST_MAX_BODY). Default: ${DEFAULT-VALUE}.")
    int ingestMaxBody;

    @Option(names = "--ingest-token-file", paramLabel = "FILE", defaultValue = "${env:MONITML_INGEST_TOKEN_FILE}",
        description = "File holding the bearer token every ingest request (POST / and /ingest) must carry; MONITML_INGEST_TOKEN may hold the token itself (env MONITML_INGEST_TOKEN_FILE). Default: none, no authentication.")
    Path ingestTokenFile;

    @Option(names = "--http-read-timeout", paramLabel = "DURATION", defaultValue = "${env:MONITML_HTTP_READ_TIMEOUT:-" + Defaults.HTTP_READ_TIMEOUT + "}",
        description = "A connection whose request line and headers are not all received within it of their first byte is closed; an ingest body must arrive within it too, else 408 (env MONITML_HTTP_READ_TIMEOUT). Default: ${DEFAULT-VALUE}.")
    String httpReadTimeout;

    @Option(names = "--http-idle-timeout", paramLabel = "DURATION", defaultValue = "${env:MONITML_HTTP_IDLE_TIMEOUT:-" + Defaults.HTTP_IDLE_TIMEOUT + "}",
        description = "A connection with nothing to read or write for this long is closed (env MONITML_HTTP_IDLE_TIMEOUT). Default: ${DEFAULT-VALUE}.")
    String httpIdleTimeout;

    @Option(names = "--http-threads", paramLabel = "N", defaultValue = "${env:MONITML_HTTP_THREADS:-" + Defaults.HTTP_THREADS + "}",
        description = "Requests of the HTTP port served at once (queries, the page; ingest, /health and /metrics aside: ingest holds no thread while it waits and is bounded by its bytes in flight, half the producer's buffer.memory); 64 times as many wait for a turn, beyond that or after the read timeout 503 with Retry-After (env MONITML_HTTP_THREADS). Default: ${DEFAULT-VALUE}.")
    int httpThreads;

    @Option(names = "--http-max-connections", paramLabel = "N", defaultValue = "${env:MONITML_HTTP_MAX_CONNECTIONS:-" + Defaults.HTTP_MAX_CONNECTIONS + "}",
        description = "Open connections of the HTTP port at most; beyond that no connection is accepted until one closes (env MONITML_HTTP_MAX_CONNECTIONS). Default: ${DEFAULT-VALUE}.")
    int httpMaxConnections;

    @Option(names = "--http-tls-keystore", paramLabel = "FILE", defaultValue = "${env:MONITML_HTTP_TLS_KEYSTORE}",
        description = "PKCS12 keystore with the key and certificate to serve the whole HTTP port as HTTPS (env MONITML_HTTP_TLS_KEYSTORE). Default: none, plain HTTP.")
    Path httpTlsKeystore;

    @Option(names = "--http-tls-keystore-password-file", paramLabel = "FILE", defaultValue = "${env:MONITML_HTTP_TLS_KEYSTORE_PASSWORD_FILE}",
        description = "File holding the keystore's password; MONITML_HTTP_TLS_KEYSTORE_PASSWORD may hold the password itself (env MONITML_HTTP_TLS_KEYSTORE_PASSWORD_FILE).")
    Path httpTlsKeystorePasswordFile;

    @Option(names = "--drift-correction", paramLabel = "bonferroni|fdr|none", defaultValue = "${env:MONITML_DRIFT_CORRECTION:-" + Defaults.DRIFT_CORRECTION + "}",
        description = "Multiple-testing correction across a unit's features (env MONITML_DRIFT_CORRECTION). Default: ${DEFAULT-VALUE}.")
    Correction driftCorrection;

    @Option(names = "--drift-alpha", paramLabel = "RATE", defaultValue = "${env:MONITML_DRIFT_ALPHA:-" + Defaults.DRIFT_ALPHA + "}",
        description = "Significance level of the drift tests, before correction (env MONITML_DRIFT_ALPHA). Default: ${DEFAULT-VALUE}.")
    double driftAlpha;

    @Option(names = "--psi-watch", paramLabel = "PSI", defaultValue = "${env:MONITML_PSI_WATCH:-" + Defaults.PSI_WATCH + "}",
        description = "PSI at or above which a feature that did not drift is watched: status WATCH, monitml_feature_watched, an info alert (env MONITML_PSI_WATCH). Default: ${DEFAULT-VALUE}.")
    double psiWatch;

    @Option(names = "--psi-act", paramLabel = "PSI", defaultValue = "${env:MONITML_PSI_ACT:-" + Defaults.PSI_ACT + "}",
        description = "PSI at or above which a feature is flagged as drifted (env MONITML_PSI_ACT). Default: ${DEFAULT-VALUE}.")
    double psiAct;

    @Option(names = "--min-rows", paramLabel = "N", defaultValue = "${env:MONITML_MIN_ROWS:-" + Defaults.MIN_ROWS + "}",
        description = "Windows with fewer request rows report INSUFFICIENT_DATA instead of p-values (env MONITML_MIN_ROWS). Default: ${DEFAULT-VALUE}.")
    long minRows;

    @Option(names = "--max-clock-skew", paramLabel = "DURATION", defaultValue = "${env:MONITML_MAX_CLOCK_SKEW:-" + Defaults.MAX_CLOCK_SKEW + "}",
        description = "An event time further ahead than this of its record's timestamp (the time of receipt over HTTP) or of this instance's clock is dead-lettered as future-time; before 1970 as bad-time (env MONITML_MAX_CLOCK_SKEW). Default: ${DEFAULT-VALUE}.")
    String maxClockSkew;

    @Option(names = "--max-rows-per-event", paramLabel = "N", defaultValue = "${env:MONITML_MAX_ROWS_PER_EVENT:-" + Limits.DEFAULT_MAX_ROWS_PER_EVENT + "}",
        description = "An event with more rows is dead-lettered as limit-exceeded (env MONITML_MAX_ROWS_PER_EVENT). Default: ${DEFAULT-VALUE}.")
    int maxRowsPerEvent;

    @Option(names = "--max-features", paramLabel = "N", defaultValue = "${env:MONITML_MAX_FEATURES:-" + Limits.DEFAULT_MAX_FEATURES + "}",
        description = "Features monitored per unit and window: the baseline's first, then in payload order; columns beyond are counted in monitml_features_dropped_total and named in the drift report (env MONITML_MAX_FEATURES). Default: ${DEFAULT-VALUE}.")
    int maxFeatures;

    @Option(names = "--max-categories", paramLabel = "N", defaultValue = "${env:MONITML_MAX_CATEGORIES:-" + Limits.DEFAULT_MAX_CATEGORIES + "}",
        description = "Distinct categories kept per feature and window besides the baseline's; the rest count as other (env MONITML_MAX_CATEGORIES). Default: ${DEFAULT-VALUE}.")
    int maxCategories;

    @Option(names = "--max-units", paramLabel = "N", defaultValue = "${env:MONITML_MAX_UNITS:-" + Limits.DEFAULT_MAX_UNITS + "}",
        description = "Units (namespace, deployment, variant, model) each partition of the merging stage monitors at once; a new unit beyond it is refused (counted in monitml_records_refused_total), units without a baseline take at most half (env MONITML_MAX_UNITS). Default: ${DEFAULT-VALUE}.")
    int maxUnits;

    @Option(names = "--max-units-per-namespace", paramLabel = "N", defaultValue = "${env:MONITML_MAX_UNITS_PER_NAMESPACE:-" + Limits.DEFAULT_MAX_UNITS_PER_NAMESPACE + "}",
        description = "Units without a baseline that one namespace may have monitored per partition of the merging stage; beyond it its new units are refused (env MONITML_MAX_UNITS_PER_NAMESPACE). Default: ${DEFAULT-VALUE}.")
    int maxUnitsPerNamespace;

    @Option(names = "--max-record-bytes", paramLabel = "BYTES", defaultValue = "${env:MONITML_MAX_RECORD_BYTES:-" + Limits.DEFAULT_MAX_RECORD_BYTES + "}",
        description = "Largest record written to the result and dead-letter topics; at start lowered to their max.message.bytes. A result over it is counted in monitml_records_dropped_total, a dead letter's value is cut to fit (env MONITML_MAX_RECORD_BYTES). Default: ${DEFAULT-VALUE}.")
    int maxRecordBytes;

    @Option(names = "--series-expiry", paramLabel = "DURATION", defaultValue = "${env:MONITML_SERIES_EXPIRY:-" + Defaults.SERIES_EXPIRY + "}",
        description = "A unit that sent nothing (or closed no window) for this long frees its place among --max-units and its metrics leave /metrics (env MONITML_SERIES_EXPIRY). Default: ${DEFAULT-VALUE}.")
    String seriesExpiry;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "${env:MONITML_WINDOW_SIZE}",
        description = "Tumbling event-time window size, e.g. 30s, 1m (env MONITML_WINDOW_SIZE). Default: " + Defaults.WINDOW
            + "; the demo: 10s.")
    String windowSize;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "${env:MONITML_WINDOW_GRACE:-" + Defaults.GRACE + "}",
        description = "How long after a window's end late events still count in it (env MONITML_WINDOW_GRACE). Default: ${DEFAULT-VALUE}.")
    String windowGrace;

    @Option(names = "--flush-interval", paramLabel = "DURATION", defaultValue = "${env:MONITML_FLUSH_INTERVAL:-" + Defaults.FLUSH_INTERVAL + "}",
        description = "How often each input partition sends its partial aggregates to the merging stage (env MONITML_FLUSH_INTERVAL). Default: ${DEFAULT-VALUE}.")
    String flushInterval;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "${env:MONITML_IDLE_TIMEOUT:-" + Defaults.IDLE_TIMEOUT + "}",
        description = "An input partition without records for this long stops holding windows back: they close on the other partitions' event time (env MONITML_IDLE_TIMEOUT). Default: ${DEFAULT-VALUE}.")
    String idleTimeout;

    @Option(names = "--stalled-timeout", paramLabel = "DURATION", defaultValue = "${env:MONITML_STALLED_TIMEOUT:-" + Defaults.STALLED_TIMEOUT + "}",
        description = "An input partition whose task has announced no progress for this long (its instance gone, no other has taken it over) stops holding windows back (env MONITML_STALLED_TIMEOUT). Default: ${DEFAULT-VALUE}.")
    String stalledTimeout;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "${env:MONITML_STORE_RETENTION:-" + Defaults.STORE_RETENTION + "}",
        description = "How long closed windows stay in the queryable state stores (env MONITML_STORE_RETENTION). Default: ${DEFAULT-VALUE}.")
    String storeRetention;

    @Option(names = "--processing-guarantee", paramLabel = "GUARANTEE",
        defaultValue = "${env:MONITML_PROCESSING_GUARANTEE:-" + Defaults.PROCESSING_GUARANTEE + "}",
        description = "exactly_once_v2 or at_least_once (env MONITML_PROCESSING_GUARANTEE). Default: ${DEFAULT-VALUE}.")
    String processingGuarantee;

    @Option(names = "--stream-threads", paramLabel = "N", defaultValue = "${env:MONITML_STREAM_THREADS:-" + Defaults.STREAM_THREADS + "}",
        description = "Kafka Streams threads in this instance (env MONITML_STREAM_THREADS). Default: ${DEFAULT-VALUE}.")
    int streamThreads;

    @Option(names = "--create-topics", paramLabel = "true|false", arity = "1",
        defaultValue = "${env:MONITML_CREATE_TOPICS:-" + Defaults.CREATE_TOPICS + "}",
        description = "Create missing topics at start (env MONITML_CREATE_TOPICS). Default: ${DEFAULT-VALUE}.")
    boolean createTopics;

    @Option(names = "--topic-partitions", paramLabel = "N", defaultValue = "${env:MONITML_TOPIC_PARTITIONS:-" + Defaults.TOPIC_PARTITIONS + "}",
        description = "Partitions of topics created at start (env MONITML_TOPIC_PARTITIONS). Default: ${DEFAULT-VALUE}.")
    int topicPartitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "${env:MONITML_REPLICATION_FACTOR:-" + Defaults.REPLICATION_FACTOR + "}",
        description = "Replication factor of created and internal topics; -1: the broker's default (env MONITML_REPLICATION_FACTOR). Default: ${DEFAULT-VALUE}.")
    short replicationFactor;

    @Option(names = "--advertised-host", paramLabel = "HOST", defaultValue = "${env:MONITML_ADVERTISED_HOST}",
        description = "Host name other instances reach this one's HTTP port by, for the queries they forward: Kafka Streams' application.server (env MONITML_ADVERTISED_HOST). Default: the HTTP host, or this machine's name when that is 0.0.0.0.")
    String advertisedHost;

    @Option(names = "--api-token-file", paramLabel = "FILE", defaultValue = "${env:MONITML_API_TOKEN_FILE}",
        description = "File holding the bearer token every /api request must carry; MONITML_API_TOKEN may hold the token itself (env MONITML_API_TOKEN_FILE). Default: none, no authentication.")
    Path apiTokenFile;

    @Option(names = "--kafka-timeout", paramLabel = "DURATION", defaultValue = "${env:MONITML_KAFKA_TIMEOUT:-" + Defaults.KAFKA_TIMEOUT + "}",
        description = "How long start-up waits for Kafka to answer before it stops with the reason, e.g. a listener that wants SASL or TLS (env MONITML_KAFKA_TIMEOUT). Default: ${DEFAULT-VALUE}.")
    String kafkaTimeout;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:MONITML_KAFKA_CONFIG}",
        description = "Java properties file of Kafka client settings (security.protocol, sasl.*, ssl.*, ...), as Kafka's tools' --command-config: keeps secrets such as sasl.jaas.config off the command line; KAFKA_* variables and --kafka win over it (env MONITML_KAFKA_CONFIG).")
    Path kafkaConfig;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
        description = "Any Kafka client or Kafka Streams setting, repeatable; also every KAFKA_* variable, e.g. KAFKA_MAX_POLL_RECORDS=500 -> max.poll.records=500.")
    Map<String, String> kafka = new HashMap<>();

    /**
     * A secret from its file option, else from its environment variable holding the value itself;
     * never from a flag, which {@code ps} would show.
     */
    private static String secret(final Path file, final String what, final String option, final String variable,
                                 final Map<String, String> environment) {
        if (file != null && !file.toString().isBlank()) {
            try {
                final String value = java.nio.file.Files.readString(file).strip();
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("The " + what + " file " + file + " (" + option + ") is empty");
                }
                return value;
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("Cannot read the " + what + " file " + file + " (" + option + "): " + e.getMessage(), e);
            }
        }
        return environment.get(variable);
    }

    /** The API token from {@code --api-token-file}, else from {@code MONITML_API_TOKEN}. */
    private String apiToken(final Map<String, String> environment) {
        return secret(apiTokenFile, "API token", "--api-token-file", "MONITML_API_TOKEN", environment);
    }

    private MonitMlConfig.Http http(final Map<String, String> environment) {
        final Path keystore = httpTlsKeystore == null || httpTlsKeystore.toString().isBlank() ? null : httpTlsKeystore;
        return new MonitMlConfig.Http(Durations.parse(httpReadTimeout), Durations.parse(httpIdleTimeout), httpThreads,
            httpMaxConnections, keystore, keystore == null ? null
            : secret(httpTlsKeystorePasswordFile, "TLS keystore password", "--http-tls-keystore-password-file",
                "MONITML_HTTP_TLS_KEYSTORE_PASSWORD", environment));
    }

    /** With the HTTP port on every interface, as {@code monitml run} has it. */
    MonitMlConfig toConfig(final Duration defaultWindow, final Map<String, String> environment) {
        return toConfig(defaultWindow, RUN_HTTP_HOST, environment);
    }

    /** @param defaultHttpHost the HTTP port's address unless {@code --http-host} or {@code MONITML_HTTP_HOST} says otherwise */
    MonitMlConfig toConfig(final Duration defaultWindow, final String defaultHttpHost, final Map<String, String> environment) {
        final String httpHost = this.httpHost == null || this.httpHost.isBlank() ? defaultHttpHost : this.httpHost.trim();
        final Map<String, String> kafkaSettings = KafkaSettings.merge(kafkaConfig, environment, kafka);
        final Duration window = windowSize == null || windowSize.isBlank() ? defaultWindow : Durations.parse(windowSize);
        return MonitMlConfig.builder()
            .bootstrapServers(bootstrapServers).schemaRegistryUrl(schemaRegistryUrl).schemaRegistryUserInfo(schemaRegistryUserInfo)
            .applicationId(applicationId).dataDir(dataDir).http(httpHost, httpPort).embeddedPorts(embeddedKafkaPort, embeddedRegistryPort)
            .topology(new TopologySettings(
                new Topics(rawTopic, deadLetterTopic, predictionStatsTopic, driftTopic, baselinesTopic, inferencesTopic, labelsTopic,
                    performanceTopic),
                new TopologySettings.Sources(blankToNull(seldonV1Topic), blankToNull(seldonV2Prefix),
                    modelsFile == null || modelsFile.toString().isBlank() ? ModelSchemas.none() : ModelSchemas.read(modelsFile)),
                window, Durations.parse(windowGrace), Durations.parse(flushInterval), Durations.parse(storeRetention),
                new TopologySettings.Pairing(pairing, Durations.parse(pairingWait)),
                new DriftSettings(driftCorrection, driftAlpha, psiWatch, psiAct, minRows),
                new Limits(Durations.parse(maxClockSkew), maxRowsPerEvent, maxFeatures, maxCategories, maxUnits, maxUnitsPerNamespace,
                    Durations.parse(seriesExpiry), maxRecordBytes),
                new TopologySettings.Watermarks(Durations.parse(idleTimeout), Durations.parse(stalledTimeout)),
                new TopologySettings.GroundTruth(labels, Durations.parse(labelHorizon), Durations.parse(labelWait), minLabels)))
            .ingest(new MonitMlConfig.Ingest(ingest, ingestMaxBody,
                secret(ingestTokenFile, "ingest token", "--ingest-token-file", "MONITML_INGEST_TOKEN", environment)))
            .api(new MonitMlConfig.Api(advertisedHost, apiToken(environment)))
            .seriesExpiry(Durations.parse(seriesExpiry))
            .processingGuarantee(processingGuarantee).streamThreads(streamThreads)
            .topics(createTopics, topicPartitions, replicationFactor)
            .kafka(kafkaSettings).kafkaTimeout(Durations.parse(kafkaTimeout)).http(http(environment))
            .build();
    }

    private static String blankToNull(final String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
