package io.monitml.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Passes {@code KAFKA_*} environment variables through as Kafka client settings, the convention
 * of Kafka's container images: {@code KAFKA_MAX_POLL_RECORDS=500} becomes {@code max.poll.records=500}.
 * The launcher variables of Kafka's scripts (heap, JVM and logging options) are not client settings.
 */
public final class KafkaEnvironment {

    private static final String PREFIX = "KAFKA_";
    private static final Set<String> LAUNCHER_VARIABLES = Set.of(
        "KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS",
        "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG", "KAFKA_HOME", "KAFKA_LOG_DIR", "KAFKA_VERSION");

    private KafkaEnvironment() {
    }

    public static Map<String, String> settings(final Map<String, String> environment) {
        final Map<String, String> settings = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && !LAUNCHER_VARIABLES.contains(name)) {
                settings.put(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return settings;
    }
}
