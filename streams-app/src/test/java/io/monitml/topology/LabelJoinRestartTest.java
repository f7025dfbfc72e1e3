package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.aggregate.PerformanceWindow;
import io.monitml.app.TestConfigs;
import io.monitml.avro.PerformancePartial;
import io.monitml.config.TopologySettings;
import io.monitml.ingest.Label;
import io.monitml.state.WriteBehindStoreBuilder;

/**
 * The label join's processor over its RocksDB stores, stopped and started again on the same state (a
 * {@code TopologyTestDriver} wipes its state when closed): a label that waited before the stop is
 * joined by its prediction after it.
 */
class LabelJoinRestartTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path stateDir;

    private final List<StateStore> stores = new ArrayList<>();
    private final TopologyFixture.RecordingListener listener = new TopologyFixture.RecordingListener();

    private LabelJoinProcessor start() {
        final TopologySettings settings = TestConfigs.topology(TopologySettings.Sources.cloudEventsOnly(), Duration.ofSeconds(10),
            new TopologySettings.Pairing(true, Duration.ofSeconds(10))).withGroundTruth(
            new TopologySettings.GroundTruth(true, Duration.ofMinutes(10), Duration.ofMinutes(1), 1));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "label-join-restart-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        final MockProcessorContext<String, PerformancePartial> context = new MockProcessorContext<>(props, new TaskId(0, 0),
            stateDir.toFile());
        context.setCurrentSystemTimeMs(T0.plusSeconds(3600).toEpochMilli());
        // Written only at a commit, which nothing calls here.
        final Serde<PerformanceWindow> unused = Serdes.serdeFrom((topic, window) -> new byte[0], (topic, bytes) -> null);
        open(context, Stores.windowStoreBuilder(Stores.persistentWindowStore(Names.LABEL_JOIN_PREDICTIONS, Duration.ofMinutes(10),
            Duration.ofMillis(1), false), Serdes.String(), JoinSerdes.kept()));
        open(context, Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.LABEL_JOIN_WAITING), Serdes.String(),
            JoinSerdes.waiting()));
        open(context, new WriteBehindStoreBuilder<>(Names.PERFORMANCE_PARTIALS_BUFFER, unused));
        final LabelJoinProcessor processor = new LabelJoinProcessor(settings, listener);
        processor.init(context);
        return processor;
    }

    private void open(final MockProcessorContext<String, PerformancePartial> context, final StoreBuilder<?> builder) {
        final StateStore store = builder.withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        stores.add(store);
    }

    private void stop(final LabelJoinProcessor processor) {
        processor.close();
        stores.forEach(StateStore::close);
        stores.clear();
    }

    @Test
    void shouldJoinALabelThatWaitedBeforeARestartWithItsPredictionAfterIt() {
        final LabelJoinProcessor before = start();
        before.process(new Record<>("early", new JoinInput.Truth(Label.ofNumber("early", 25_000, T0.toEpochMilli())), T0.toEpochMilli()));
        before.process(new Record<>("other", new JoinInput.Prediction("seldon/housing/v1/model", T0.toEpochMilli(), new double[] {1.0}),
            T0.toEpochMilli()));
        assertThat(listener.labelOutcomes).isEmpty();
        stop(before);

        final LabelJoinProcessor after = start();
        after.process(new Record<>("early", new JoinInput.Prediction("seldon/housing/v1/model", T0.plusSeconds(1).toEpochMilli(),
            new double[] {24_000.0}), T0.plusSeconds(1).toEpochMilli()));
        assertThat(listener.labelOutcomes).containsExactly(PipelineListener.LABEL_JOINED);
        stop(after);
    }
}
