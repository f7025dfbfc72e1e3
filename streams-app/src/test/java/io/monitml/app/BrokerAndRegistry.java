package io.monitml.app;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.monitml.baseline.BaselinePublisher;
import io.monitml.demo.DemoBaseline;
import io.monitml.embedded.EmbeddedKafka;
import io.monitml.embedded.EmbeddedSchemaRegistry;
import io.monitml.serde.SchemaRegistryClient;

/** The real in-process broker and schema registry that a test class's child applications share. */
final class BrokerAndRegistry implements AutoCloseable {

    private EmbeddedKafka broker;
    private final EmbeddedSchemaRegistry registry;

    private BrokerAndRegistry(final EmbeddedKafka broker, final EmbeddedSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    static BrokerAndRegistry start(final Path brokerData, final EmbeddedKafka.Options options) {
        final EmbeddedKafka broker = EmbeddedKafka.start(brokerData, options);
        try {
            return new BrokerAndRegistry(broker, EmbeddedSchemaRegistry.start("127.0.0.1", 0, null));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    EmbeddedKafka broker() {
        return broker;
    }

    /** The broker after a restart on its own data. */
    void replaceBroker(final EmbeddedKafka restarted) {
        broker = restarted;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    String registryUrl() {
        return registry.url();
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** The demo's training baseline, created at {@code createdAt}, on {@code topic}. */
    void publishDemoBaseline(final String topic, final Instant createdAt) {
        BaselinePublisher.publish(bootstrapServers(), new SchemaRegistryClient(registryUrl()), topic, DemoBaseline.spec().key(),
            DemoBaseline.build(createdAt));
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
