package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.monitml.avro.TrainingBaseline;
import io.monitml.config.Topics;
import io.monitml.embedded.EmbeddedRuntime;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;

/** {@code monitml baseline} publishes a training baseline to the real broker and writes it to a file. */
class BaselineCommandIT {

    @TempDir
    Path dir;

    @Test
    void shouldPublishTheBostonBaselineKeyedByDeploymentAndVersion() throws Exception {
        final Path csv = dir.resolve("boston.csv");
        try (var in = BaselineCommandIT.class.getResourceAsStream("/data/boston-housing.csv")) {
            Files.copy(in, csv);
        }
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dir.resolve("data"), 0, 0)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.DEFAULT_BASELINES, 1, (short) 1))).all().get();
            }
            final StringWriter out = new StringWriter();
            final var commandLine = MonitMl.commandLine();
            commandLine.setOut(new PrintWriter(out));
            final Path file = dir.resolve("housing-1.json");

            final int exit = commandLine.execute("baseline", "--data", csv.toString(), "--deployment", "housing", "--version", "1",
                "--target", "medv", "--categorical", "chas", "--output", file.toString(),
                "--bootstrap-servers", runtime.bootstrapServers(), "--schema-registry-url", runtime.schemaRegistryUrl());

            assertThat(exit).isZero();
            assertThat(out.toString()).contains("506 rows", "published to monitml.baselines", "housing@1");
            assertThat(new ObjectMapper().readTree(file.toFile()).get("features")).hasSize(12);
            final List<ConsumerRecord<String, TrainingBaseline>> records = new ArrayList<>();
            try (KafkaConsumer<String, TrainingBaseline> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new AvroDeserializer<>(TrainingBaseline.class, new SchemaRegistryClient(runtime.schemaRegistryUrl()), false))) {
                consumer.subscribe(Set.of(Topics.DEFAULT_BASELINES));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    return !records.isEmpty();
                });
            }
            assertThat(records.get(0).key()).isEqualTo("housing@1");
            final TrainingBaseline baseline = records.get(0).value();
            assertThat(baseline.getTarget().getName()).isEqualTo("medv");
            assertThat(baseline.getFeatures()).anySatisfy(f -> assertThat(f.getName()).isEqualTo("chas"));
        }
    }
}
