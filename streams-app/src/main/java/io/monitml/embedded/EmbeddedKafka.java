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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final java.time.Duration SHUTDOWN_TIMEOUT = java.time.Duration.ofSeconds(20);

    /** The listener every broker has, unauthenticated plaintext, which the brokers and controller also use. */
    public static final String PLAINTEXT_LISTENER = "PLAINTEXT";

    private final KafkaRaftServer server;
    private final Map<String, String> listeners;
    private final Path logDir;
    private boolean closed;

    private EmbeddedKafka(final KafkaRaftServer server, final Map<String, String> listeners, final Path logDir) {
        this.server = server;
        this.listeners = Map.copyOf(listeners);
        this.logDir = logDir;
    }

    /**
     * What a broker has besides its plaintext listener: more listeners (SASL, TLS), the broker settings
     * they need (enabled mechanisms, JAAS configurations, key stores) and SCRAM users written at format.
     *
     * @param port             the plaintext client port, 0 for any free port
     * @param listeners        more listeners, name to security protocol (e.g. {@code SASL -> SASL_PLAINTEXT}), each on a free port
     * @param brokerProperties more broker settings, e.g. {@code listener.name.sasl.plain.sasl.jaas.config}
     * @param scramCredentials StorageTool {@code --add-scram} arguments, e.g. {@code SCRAM-SHA-256=[name=alice,password=...]}
     */
    public record Options(int port, Map<String, String> listeners, Map<String, String> brokerProperties, List<String> scramCredentials) {

        public Options {
            listeners = Collections.unmodifiableMap(new LinkedHashMap<>(listeners));
            brokerProperties = Map.copyOf(brokerProperties);
            scramCredentials = List.copyOf(scramCredentials);
            for (String name : listeners.keySet()) {
                if (name.equals(PLAINTEXT_LISTENER) || name.equals(CONTROLLER_LISTENER) || !name.matches("[A-Z][A-Z0-9_]*")) {
                    throw new IllegalArgumentException("Not a name for an extra listener: " + name);
                }
            }
        }

        /** Only the plaintext listener, on {@code port}. */
        public static Options plaintext(final int port) {
            return new Options(port, Map.of(), Map.of(), List.of());
        }

        public Options withListener(final String name, final String securityProtocol) {
            final Map<String, String> more = new LinkedHashMap<>(listeners);
            more.put(name, securityProtocol);
            return new Options(port, more, brokerProperties, scramCredentials);
        }

        public Options withBrokerProperty(final String key, final String value) {
            final Map<String, String> more = new HashMap<>(brokerProperties);
            more.put(key, value);
            return new Options(port, listeners, more, scramCredentials);
        }

        /** A SCRAM user, written to the cluster metadata when the storage is formatted (a data directory formatted before keeps its users). */
        public Options withScramUser(final String mechanism, final String user, final String password) {
            final List<String> more = new ArrayList<>(scramCredentials);
            more.add(mechanism + "=[name=" + user + ",password=" + password + "]");
            return new Options(port, listeners, brokerProperties, more);
        }
    }

    /**
     * Formats {@code dataDir} on first use (keeping its cluster id across restarts) and starts the broker.
     *
     * @param dataDir where the log segments and metadata live
     * @param port    the client port, 0 for any free port
     */
    public static EmbeddedKafka start(final Path dataDir, final int port) {
        return start(dataDir, Options.plaintext(port));
    }

    /** As {@link #start(Path, int)}, with the extra listeners, settings and SCRAM users of {@code options}. */
    public static EmbeddedKafka start(final Path dataDir, final Options options) {
        final int port = options.port();
        final Path logDir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the broker's data directory " + logDir, e);
        }
        // Chosen together, so that no two listeners get the same port (one chosen and released at a time can come back).
        final java.util.PrimitiveIterator.OfInt free = freePorts(2 + options.listeners().size()).iterator();
        final int brokerPort = port == 0 ? free.nextInt() : port;
        final int controllerPort = free.nextInt();
        final Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        final Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put(PLAINTEXT_LISTENER, "127.0.0.1:" + brokerPort);
        options.listeners().keySet().forEach(name -> addresses.put(name, "127.0.0.1:" + free.nextInt()));
        if (!options.listeners().isEmpty()) {
            final StringBuilder listeners = new StringBuilder(props.getProperty("listeners"));
            final StringBuilder advertised = new StringBuilder(props.getProperty("advertised.listeners"));
            final StringBuilder protocols = new StringBuilder(props.getProperty("listener.security.protocol.map"));
            options.listeners().forEach((name, protocol) -> {
                listeners.append(',').append(name).append("://").append(addresses.get(name));
                advertised.append(',').append(name).append("://").append(addresses.get(name));
                protocols.append(',').append(name).append(':').append(protocol);
            });
            props.put("listeners", listeners.toString());
            props.put("advertised.listeners", advertised.toString());
            props.put("listener.security.protocol.map", protocols.toString());
        }
        props.putAll(options.brokerProperties());
        format(logDir, props, options.scramCredentials());
        final KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        LOG.info("Embedded Kafka broker listening on {}, data in {}", addresses, logDir);
        return new EmbeddedKafka(server, addresses, logDir);
    }

    /** The plaintext listener's address. */
    public String bootstrapServers() {
        return listeners.get(PLAINTEXT_LISTENER);
    }

    /** The address of the listener named {@code name} (see {@link Options#withListener}). */
    public String bootstrapServers(final String name) {
        final String address = listeners.get(name);
        if (address == null) {
            throw new IllegalArgumentException("The embedded broker has no listener " + name + "; it has " + listeners.keySet());
        }
        return address;
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
        props.put("controller.listener.names", CONTROLLER_LISTENER);
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

    private static void format(final Path logDir, final Properties props, final List<String> scramCredentials) {
        final Path configFile = logDir.resolve("server.properties");
        final String clusterId = clusterId(logDir);
        try {
            try (var out = Files.newOutputStream(configFile)) {
                props.store(out, "Written by MonitML's embedded runtime");
            }
            final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            final int rc;
            final List<String> arguments = new ArrayList<>(List.of("format", "-t", clusterId, "-c", configFile.toString(), "--ignore-formatted"));
            scramCredentials.forEach(credential -> arguments.addAll(List.of("--add-scram", credential)));
            try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(arguments.toArray(String[]::new), out);
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

    /** Distinct free ports on the loopback interface: each socket stays bound until all are chosen. */
    private static java.util.stream.IntStream freePorts(final int count) {
        final java.util.List<ServerSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                final ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
            }
            return java.util.stream.IntStream.of(sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
