package io.monitml.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM.
 * It is the same broker a cluster runs, not a mock: the demo and the integration tests use it
 * so that nothing outside Maven Central and a JDK is needed.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CLUSTER_ID_FILE = "cluster.id";
    private static final java.time.Duration SHUTDOWN_TIMEOUT = java.time.Duration.ofSeconds(20);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;
    private boolean closed;

    private EmbeddedKafka(final KafkaRaftServer server, final String bootstrapServers, final Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
    }

    /**
     * Formats {@code dataDir} on first use (keeping its cluster id across restarts) and starts the broker.
     *
     * @param dataDir where the log segments and metadata live
     * @param port    the client port, 0 for any free port
     */
    public static EmbeddedKafka start(final Path dataDir, final int port) {
        final Path logDir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the broker's data directory " + logDir, e);
        }
        final int brokerPort = port == 0 ? freePort() : port;
        final int controllerPort = freePort();
        final Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        format(logDir, props);
        final KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        final String bootstrap = "127.0.0.1:" + brokerPort;
        LOG.info("Embedded Kafka broker listening on {}, data in {}", bootstrap, logDir);
        return new EmbeddedKafka(server, bootstrap, logDir);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // A broker whose clients misbehave can wait minutes for a controlled shutdown; the
        // process is exiting anyway, so give it a bounded time and move on.
        final Thread shutdown = new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "embedded-kafka-shutdown");
        shutdown.setDaemon(true);
        shutdown.start();
        try {
            shutdown.join(SHUTDOWN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shutdown.isAlive()) {
            LOG.warn("The embedded broker did not stop within {}; leaving it to the JVM's exit", SHUTDOWN_TIMEOUT);
        }
    }

    private static Properties brokerProperties(final Path logDir, final int brokerPort, final int controllerPort) {
        final Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // A demo broker should not fill the disk: keep a day or 1 GiB per partition.
        props.put("log.retention.hours", "24");
        props.put("log.retention.bytes", String.valueOf(1L << 30));
        props.put("log.segment.bytes", String.valueOf(64L << 20));
        return props;
    }

    private static void format(final Path logDir, final Properties props) {
        final Path configFile = logDir.resolve("server.properties");
        final String clusterId = clusterId(logDir);
        try {
            try (var out = Files.newOutputStream(configFile)) {
                props.store(out, "Written by MonitML's embedded runtime");
            }
            final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            final int rc;
            try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(new String[] {
                    "format", "-t", clusterId, "-c", configFile.toString(), "--ignore-formatted"
                }, out);
            }
            if (rc != 0) {
                throw new IllegalStateException("Formatting the broker storage in " + logDir + " failed: "
                    + buffer.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the broker storage in " + logDir, e);
        }
    }

    private static String clusterId(final Path logDir) {
        final Path file = logDir.resolve(CLUSTER_ID_FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            final String id = Uuid.randomUuid().toString();
            Files.writeString(file, id, StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port", e);
        }
    }
}
