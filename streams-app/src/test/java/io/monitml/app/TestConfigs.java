package io.monitml.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.monitml.config.Defaults;
import io.monitml.config.MonitMlConfig;
import io.monitml.config.Topics;
import io.monitml.config.TopologySettings;

/** Configurations of the integration tests: short windows, quick flushes and commits, HTTP on a free loopback port. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** Windows of {@code window}, 1 s grace, partials flushed every 200 ms, closed windows kept for an hour. */
    public static TopologySettings topology(final TopologySettings.Sources sources, final Duration window,
                                            final TopologySettings.Pairing pairing) {
        return new TopologySettings(Topics.defaults(), sources, window, Duration.ofSeconds(1), Duration.ofMillis(200),
            Duration.ofHours(1), pairing, Defaults.drift(), Defaults.limits());
    }

    /** On the embedded broker and registry, started by the application itself. */
    public static MonitMlConfig embedded(final String applicationId, final Path dataDir, final TopologySettings topology,
                                         final int partitions) {
        return connected("", "", applicationId, dataDir, topology, partitions, MonitMlConfig.Api.OPEN);
    }

    /** On a broker and registry already running ({@code ""} for both: the embedded ones). */
    public static MonitMlConfig connected(final String bootstrapServers, final String registryUrl, final String applicationId,
                                          final Path dataDir, final TopologySettings topology, final int partitions,
                                          final MonitMlConfig.Api api) {
        return MonitMlConfig.builder().bootstrapServers(bootstrapServers).schemaRegistryUrl(registryUrl).applicationId(applicationId)
            .dataDir(dataDir).http("127.0.0.1", 0).embeddedPorts(0, 0).topology(topology).api(api).topics(true, partitions, (short) -1)
            .kafka(Map.of("commit.interval.ms", "200")).build();
    }
}
