package io.monitml.app;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

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

    /**
     * Creates the input topics, of {@code partitions} partitions each, and the compacted topic
     * {@code baselines} holding the demo's baseline, created a day ago.
     */
    void createInputsAndDemoBaseline(final String baselines, final int partitions, final String... inputs) throws Exception {
        final List<NewTopic> topics = new ArrayList<>();
        for (String input : inputs) {
            topics.add(new NewTopic(input, partitions, (short) 1));
        }
        topics.add(new NewTopic(baselines, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT)));
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get();
        }
        publishDemoBaseline(baselines, Instant.now().minus(Duration.ofDays(1)));
    }

    /** Members of the consumer group that have partitions assigned. */
    long assignedMembers(final String group) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                .filter(member -> !member.assignment().topicPartitions().isEmpty())
                .count();
        }
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
