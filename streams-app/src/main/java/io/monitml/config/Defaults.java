package io.monitml.config;

import java.time.Duration;

import io.monitml.drift.DriftSettings;
import io.monitml.ingest.Limits;
import io.monitml.stats.Correction;

/**
 * The default of every setting of the pipeline, each written once: as the command line writes it
 * (compile-time constants, which the CLI's options show and fall back to), and typed from that text
 * where code needs it. The limits' counts are {@link Limits}' own constants and the topics'
 * names {@link Topics}'.
 */
public final class Defaults {

    public static final String APPLICATION_ID = "monitml";
    public static final String DATA_DIR = "monitml-data";
    public static final int HTTP_PORT = 8080;
    public static final int EMBEDDED_KAFKA_PORT = 9092;
    public static final int EMBEDDED_REGISTRY_PORT = 8081;
    public static final String PROCESSING_GUARANTEE = "exactly_once_v2";
    public static final int STREAM_THREADS = 1;
    public static final boolean CREATE_TOPICS = true;
    public static final int TOPIC_PARTITIONS = 1;
    /** The broker's default. */
    public static final short REPLICATION_FACTOR = -1;
    public static final String KAFKA_TIMEOUT = "30s";

    public static final String WINDOW = "1m";
    public static final String GRACE = "5s";
    public static final String FLUSH_INTERVAL = "1s";
    public static final String STORE_RETENTION = "1d";
    public static final boolean PAIRING = true;
    public static final String PAIRING_WAIT = "60s";
    public static final String IDLE_TIMEOUT = "10s";
    public static final String STALLED_TIMEOUT = "2m";
    public static final boolean LABELS = true;
    public static final String LABEL_HORIZON = "1h";
    public static final String LABEL_WAIT = "5m";
    public static final long MIN_LABELS = 30;
    public static final String MAX_CLOCK_SKEW = "1m";
    public static final String SERIES_EXPIRY = "10m";

    public static final String DRIFT_CORRECTION = "bonferroni";
    public static final double DRIFT_ALPHA = 0.05;
    public static final double PSI_WATCH = 0.1;
    public static final double PSI_ACT = 0.25;
    public static final long MIN_ROWS = 100;

    public static final boolean INGEST = true;
    public static final int INGEST_MAX_BODY = 1 << 20;
    public static final String HTTP_READ_TIMEOUT = "30s";
    public static final String HTTP_IDLE_TIMEOUT = "30s";
    public static final int HTTP_THREADS = 16;
    public static final int HTTP_MAX_CONNECTIONS = 1024;

    private Defaults() {
    }

    public static Duration duration(final String text) {
        return Durations.parse(text);
    }

    public static Limits limits() {
        return new Limits(duration(MAX_CLOCK_SKEW), Limits.DEFAULT_MAX_ROWS_PER_EVENT, Limits.DEFAULT_MAX_FEATURES,
            Limits.DEFAULT_MAX_CATEGORIES, Limits.DEFAULT_MAX_UNITS, Limits.DEFAULT_MAX_UNITS_PER_NAMESPACE, duration(SERIES_EXPIRY),
            Limits.DEFAULT_MAX_RECORD_BYTES);
    }

    public static DriftSettings drift() {
        return new DriftSettings(Correction.valueOf(DRIFT_CORRECTION.toUpperCase(java.util.Locale.ROOT)), DRIFT_ALPHA, PSI_WATCH, PSI_ACT,
            MIN_ROWS);
    }

    /** Every topic by its default name, the CloudEvents topic only, the default windows, pairing, drift rules, limits and watermarks. */
    public static TopologySettings topology() {
        return new TopologySettings(Topics.defaults(), TopologySettings.Sources.cloudEventsOnly(), duration(WINDOW), duration(GRACE),
            duration(FLUSH_INTERVAL), duration(STORE_RETENTION), new TopologySettings.Pairing(PAIRING, duration(PAIRING_WAIT)), drift(),
            limits(), new TopologySettings.Watermarks(duration(IDLE_TIMEOUT), duration(STALLED_TIMEOUT)),
            TopologySettings.GroundTruth.defaults());
    }
}
