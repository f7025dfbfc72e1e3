package io.monitml.topology;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.config.Defaults;
import io.monitml.config.Topics;
import io.monitml.embedded.EmbeddedSchemaRegistry;

/** A fresh {@link TopologyFixture} per test, over one in-process schema registry per class. */
abstract class TopologyTestSupport {

    private static EmbeddedSchemaRegistry registry;

    @TempDir
    Path stateDir;

    TopologyFixture fixture;

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedSchemaRegistry.start("127.0.0.1", 0, null);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void createDriver() {
        fixture = new TopologyFixture(registry.url(), stateDir, limits(), topics(), joinPartitions());
    }

    /** The label join's in-place partitions ({@link TopologyFixture}): 1, in place. */
    int joinPartitions() {
        return 1;
    }

    /** The topics of the topology under test. */
    Topics topics() {
        return TopologyFixture.TOPICS;
    }

    /** The limits of the topology under test. */
    io.monitml.ingest.Limits limits() {
        return Defaults.limits();
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }
}
