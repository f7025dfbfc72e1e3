package io.monitml.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.Paths;

import io.monitml.embedded.EmbeddedRuntime;

/**
 * The embedded KRaft broker and schema registry in a JVM of their own, so that the pipeline
 * benchmark's heap and CPU figures are MonitML's alone. Prints {@code READY servers registryUrl} on
 * standard output once both listen, and stops when its standard input closes (its parent exited).
 */
public final class BenchmarkBroker {

    static final String READY = "READY";

    private BenchmarkBroker() {
    }

    public static void main(final String[] args) throws IOException {
        final Path dataDir = Paths.get(args[0]);
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dataDir, 0, 0)) {
            System.out.println(READY + " " + runtime.bootstrapServers() + " " + runtime.schemaRegistryUrl());
            System.out.flush();
            final InputStream in = System.in;
            while (in.read() >= 0) {
                // nothing to read: the parent closes the pipe when it is done
            }
        }
    }
}
