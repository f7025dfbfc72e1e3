package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

import io.monitml.app.DemoTraffic;
import io.monitml.app.MonitMlApplication;
import io.monitml.avro.PredictionStats;
import io.monitml.config.KafkaSettings;
import io.monitml.config.MonitMlConfig;
import io.monitml.serde.AvroDeserializer;
import io.monitml.serde.SchemaRegistryClient;
import io.monitml.topology.PipelineListener;

/**
 * {@code monitml run} against one listener of a secured broker, for the security integration tests:
 * its arguments (short windows, a free HTTP port), the configuration it builds, the command itself
 * when start-up is expected to fail, and a whole run with traffic when it is expected to work.
 */
final class SecuredRun {

    static final Duration PATIENCE = Duration.ofSeconds(45);

    private final String bootstrapServers;
    private final String registryUrl;
    private final Path dataDir;

    SecuredRun(final String bootstrapServers, final String registryUrl, final Path dataDir) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.dataDir = dataDir;
    }

    record Result(int exitCode, String err, Duration took) {
    }

    List<String> arguments(final String... extra) {
        final List<String> arguments = new ArrayList<>(List.of("run",
            "--bootstrap-servers", bootstrapServers, "--schema-registry-url", registryUrl,
            "--data-dir", dataDir.toString(), "--http-host", "127.0.0.1", "--http-port", "0",
            "--window", "2s", "--grace", "1s", "--flush-interval", "200ms", "--pairing", "false", "--seldon-v2-prefix", "",
            "--kafka", "commit.interval.ms=200"));
        arguments.addAll(List.of(extra));
        return arguments;
    }

    /** The configuration {@code monitml run} builds from these arguments (no {@code KAFKA_*} variables). */
    MonitMlConfig config(final String... extra) {
        final picocli.CommandLine commandLine = MonitMl.commandLine();
        commandLine.parseArgs(arguments(extra).toArray(String[]::new));
        final RunCommand run = commandLine.getSubcommands().get("run").getCommand();
        return run.options.toConfig(RunCommand.DEFAULT_WINDOW, Map.of());
    }

    /** {@code monitml run} itself, as from a shell; it returns only when start-up fails. */
    Result execute(final String... extra) {
        final StringWriter err = new StringWriter();
        final picocli.CommandLine commandLine = MonitMl.commandLine();
        commandLine.setErr(new PrintWriter(err));
        final long start = System.nanoTime();
        final int exitCode = commandLine.execute(arguments(extra).toArray(String[]::new));
        return new Result(exitCode, err.toString(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Runs the application with {@code config}, posts the demo's canary traffic to its ingest endpoint,
     * and returns the prediction statistics read back, with the client settings of {@code clientConfig},
     * once the broken variant's first window is among them.
     */
    static List<PredictionStats> runWithTraffic(final MonitMlConfig config, final Path clientConfig) throws Exception {
        try (MonitMlApplication app = MonitMlApplication.start(config, PipelineListener.NONE);
             DemoTraffic traffic = new DemoTraffic(app)) {
            await().atMost(PATIENCE).until(() -> app.state() == KafkaStreams.State.RUNNING);
            traffic.start();
            final List<PredictionStats> stats = new ArrayList<>();
            final Map<String, Object> consumerSettings = new HashMap<>(KafkaSettings.read(clientConfig));
            consumerSettings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + config.applicationId());
            consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, PredictionStats> consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(),
                new AvroDeserializer<>(PredictionStats.class, new SchemaRegistryClient(config.schemaRegistryUrl()), false))) {
                consumer.subscribe(Set.of(config.topics().predictionStats()));
                await().atMost(PATIENCE).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> stats.add(record.value()));
                    return stats.stream().anyMatch(window -> window.getUnit().getVariant().equals("v2"));
                });
            }
            assertThat(stats).anySatisfy(window -> {
                assertThat(window.getUnit().getVariant()).isEqualTo("v2");
                assertThat(window.getCount()).isPositive();
                assertThat(window.getMean()).isEqualTo(100.0);
            });
            return stats;
        }
    }
}
