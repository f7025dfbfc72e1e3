package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.config.Topics;
import io.monitml.embedded.EmbeddedKafka;
import io.monitml.ingest.Label;
import io.monitml.ingest.LabelJson;

/** {@code monitml labels} publishes a file of labels to the real broker, keyed by request id, or nothing of a file with a bad row. */
class LabelsCommandIT {

    @TempDir
    Path dir;

    @Test
    void shouldPublishEveryLabelOfAFileAndNothingOfAFileWithABadRow() throws Exception {
        final Path good = Files.writeString(dir.resolve("labels.csv"), "requestId,truth,time\nr1,24000,2026-12-07T09:00:00Z\nr2,31500,\n");
        final Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"requestId\":\"r3\",\"truth\":1}\n{\"requestId\":\"r4\"}\n");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), EmbeddedKafka.Options.plaintext(0))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.DEFAULT_LABELS, 1, (short) 1))).all().get();
            }
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final var commandLine = MonitMl.commandLine();
            commandLine.setOut(new PrintWriter(out));
            commandLine.setErr(new PrintWriter(err));

            final int published = commandLine.execute("labels", "--file", good.toString(), "--bootstrap-servers", kafka.bootstrapServers());
            final int refused = commandLine.execute("labels", "--file", bad.toString(), "--bootstrap-servers", kafka.bootstrapServers());

            assertThat(published).as(err.toString()).isZero();
            assertThat(out.toString()).contains("published 2 labels", Topics.DEFAULT_LABELS);
            assertThat(refused).isNotZero();
            assertThat(err.toString()).contains("row 2", "bad-truth");
            final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(Set.of(Topics.DEFAULT_LABELS));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    return records.size() >= 2;
                });
                // Nothing of the refused file follows.
                consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
            }
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("r1", "r2");
            assertThat(LabelJson.read(records.get(0).value(), "r1", 0))
                .isEqualTo(Label.ofNumber("r1", 24_000, Instant.parse("2026-12-07T09:00:00Z").toEpochMilli()));
            assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8)).contains("\"truth\":31500.0", "\"time\":");
        }
    }
}
