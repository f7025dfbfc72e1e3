package io.monitml.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /** Waits for the broker's READY line; returns it split: {@code READY servers registryUrl}. */
    static String[] await(final Process broker, final Path workDir) throws IOException {
        final String line = new java.io.BufferedReader(new java.io.InputStreamReader(broker.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        final String[] ready = line == null ? new String[0] : line.split(" ");
        if (ready.length != 3 || !ready[0].equals(BenchmarkBroker.READY)) {
            throw new IllegalStateException("the benchmark broker did not start; see " + workDir.resolve("broker.log"));
        }
        return ready;
    }

    /** Closes the broker's standard input, which stops it, and waits for it (at most a minute). */
    static void stop(final Process broker) throws IOException, InterruptedException {
        broker.getOutputStream().close();
        if (!broker.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            broker.destroyForcibly();
        }
    }

    /** The embedded broker in a JVM of its own (1 GiB heap), so that this JVM's heap and CPU are MonitML's. */
    static Process start(final Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        final Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        final Process broker = new ProcessBuilder(java.toString(), "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            BenchmarkBroker.class.getName(), dataDir.toString())
            .redirectError(dataDir.resolveSibling("broker.log").toFile())
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroyForcibly, "stop-benchmark-broker"));
        return broker;
    }
}
