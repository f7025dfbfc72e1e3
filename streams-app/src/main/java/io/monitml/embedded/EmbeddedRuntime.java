package io.monitml.embedded;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real KRaft broker and a schema registry in this JVM, both keeping their
 * data under one directory so that a restart finds the topics, offsets and schema ids it left.
 */
public final class EmbeddedRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRuntime.class);

    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;

    private EmbeddedRuntime(final EmbeddedKafka kafka, final EmbeddedSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    public static EmbeddedRuntime start(final Path dataDir, final int kafkaPort, final int registryPort) {
        final EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort);
        try {
            final EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start("127.0.0.1", registryPort,
                dataDir.resolve("schema-registry").resolve("schemas.jsonl"));
            LOG.info("Embedded runtime: Kafka {} and schema registry {}; data in {}",
                kafka.bootstrapServers(), registry.url(), dataDir.toAbsolutePath());
            return new EmbeddedRuntime(kafka, registry);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
