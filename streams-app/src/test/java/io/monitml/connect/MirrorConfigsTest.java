package io.monitml.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.mirror.DefaultTopicFilter;
import org.apache.kafka.connect.mirror.IdentityReplicationPolicy;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.junit.jupiter.api.Test;

/**
 * The two MirrorMaker configurations under {@code connectors/mirror-maker/} describe one flow:
 * the same topics, kept under their names, byte for byte; the Connect JSON passes the connector's
 * own validation; and the topic list takes every Seldon topic MonitML reads and nothing else.
 * ({@code MirroringIT} runs the properties file for real.)
 */
class MirrorConfigsTest {

    private static final Path DIR = Path.of("..", "connectors", "mirror-maker");

    @Test
    void shouldDescribeTheSameFlowInBothFiles() throws Exception {
        final Map<String, String> file = properties();
        final Map<String, String> json = json();
        assertThat(json.get("topics")).isEqualTo(file.get("serving->monitoring.topics"));
        for (String key : List.of("replication.policy.class", "key.converter", "value.converter", "header.converter", "tasks.max",
            "refresh.topics.interval.seconds", "sync.topic.configs.enabled", "sync.topic.acls.enabled", "emit.offset-syncs.enabled",
            "replication.factor")) {
            assertThat(json.get(key)).as(key).isEqualTo(file.get(key));
        }
        assertThat(file.get("replication.policy.class")).isEqualTo(IdentityReplicationPolicy.class.getName());
        for (String converter : List.of("key.converter", "value.converter", "header.converter")) {
            assertThat(file.get(converter)).as(converter).isEqualTo(ByteArrayConverter.class.getName());
        }
        assertThat(json.get("source.cluster.alias")).isEqualTo("serving");
        assertThat(json.get("target.cluster.alias")).isEqualTo("monitoring");
    }

    @Test
    void shouldPassTheConnectorsValidation() throws Exception {
        // PUT /connectors/{name}/config takes the name from the path, as put-connector.sh does.
        final Map<String, String> config = new HashMap<>(json());
        config.put("name", "monitml-seldon-mirror");
        final List<String> errors = new MirrorSourceConnector().validate(config).configValues().stream()
            .flatMap((ConfigValue value) -> value.errorMessages().stream().map(message -> value.name() + ": " + message))
            .toList();
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldMirrorEverySeldonTopicMonitMlReadsAndNothingElse() throws Exception {
        final DefaultTopicFilter filter = new DefaultTopicFilter();
        filter.configure(Map.of("topics", json().get("topics")));
        assertThat(List.of("seldon", "monitml.raw", "seldon.prod.model.iris.inputs", "seldon.prod.model.iris.outputs",
            "seldon.team-a.pipeline.fraud.outputs", "seldon.default.model.income-classifier.inputs"))
            .allSatisfy(topic -> assertThat(filter.shouldReplicateTopic(topic)).as(topic).isTrue());
        assertThat(List.of("payments.events", "seldon-audit", "monitmlxraw", "monitml.prediction-stats", "monitml.dead-letters",
            "seldon.prod.model.iris.inputs.retry", "seldon.prod.errors.errors", "seldon.prod.model.iris.status", "xseldon"))
            .allSatisfy(topic -> assertThat(filter.shouldReplicateTopic(topic)).as(topic).isFalse());
    }

    private static Map<String, String> properties() throws Exception {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(DIR.resolve("mm2.properties"), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        final Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    private static Map<String, String> json() throws Exception {
        return new ObjectMapper().readValue(DIR.resolve("mirror-source-connector.json").toFile(), new TypeReference<>() { });
    }
}
