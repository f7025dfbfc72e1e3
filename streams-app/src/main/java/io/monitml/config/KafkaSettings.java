package io.monitml.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Kafka client settings the user gives MonitML (TLS, SASL, tuning), from three places, each
 * winning over the one before: a properties file ({@code --kafka-config}, like Kafka's tools'
 * {@code --command-config}), {@code KAFKA_*} environment variables, {@code --kafka key=value} flags.
 * Secrets (passwords, JAAS configurations, keys) never show in a {@code toString}.
 */
public final class KafkaSettings {

    static final String HIDDEN = "[hidden]";

    private KafkaSettings() {
    }

    /**
     * @param file        a Java properties file, or null (or blank) for none
     * @param environment the process environment, for its {@code KAFKA_*} variables
     * @param flags       the {@code --kafka} flags
     */
    public static Map<String, String> merge(final Path file, final Map<String, String> environment, final Map<String, String> flags) {
        final Map<String, String> settings = new TreeMap<>();
        if (file != null && !file.toString().isBlank()) {
            settings.putAll(read(file));
        }
        settings.putAll(KafkaEnvironment.settings(environment));
        settings.putAll(flags);
        return hidingSecrets(settings);
    }

    /** The settings of a Java properties file, as Kafka's own tools read {@code --command-config}. */
    public static Map<String, String> read(final Path file) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read the Kafka client settings file " + file + ": "
                + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()), e);
        }
        final Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key.trim(), properties.getProperty(key).trim()));
        return settings;
    }

    /** Whether a setting's value must not be logged or shown: passwords, JAAS configurations, private keys, client secrets. */
    public static boolean isSecret(final String key) {
        final String name = key.toLowerCase(Locale.ROOT);
        return name.contains("password") || name.contains("jaas") || name.contains("secret") || name.contains("credential")
            || name.endsWith(".key") || name.endsWith("token");
    }

    /** {@code {key=value, ...}} with every secret's value replaced by {@value #HIDDEN}, for logs and messages. */
    public static String describe(final Map<String, ?> settings) {
        return new TreeMap<>(settings).entrySet().stream()
            .map(entry -> entry.getKey() + "=" + (isSecret(entry.getKey()) ? HIDDEN : entry.getValue()))
            .collect(Collectors.joining(", ", "{", "}"));
    }

    /** An unmodifiable copy that compares as a map and prints with its secrets hidden ({@link #describe}). */
    public static Map<String, String> hidingSecrets(final Map<String, String> settings) {
        return settings instanceof SecretHidingMap ? settings : new SecretHidingMap(Map.copyOf(settings));
    }

    private static final class SecretHidingMap extends AbstractMap<String, String> {

        private final Map<String, String> settings;

        SecretHidingMap(final Map<String, String> settings) {
            this.settings = settings;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return settings.entrySet();
        }

        @Override
        public String get(final Object key) {
            return settings.get(key);
        }

        @Override
        public boolean containsKey(final Object key) {
            return settings.containsKey(key);
        }

        @Override
        public int size() {
            return settings.size();
        }

        @Override
        public String toString() {
            return describe(settings);
        }
    }
}
