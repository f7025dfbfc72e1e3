package io.monitml.cli;

import java.net.URI;
import java.time.Instant;
import java.time.Duration;
import java.util.concurrent.Callable;


import io.monitml.app.MonitMlApplication;
import io.monitml.avro.TrainingBaseline;
import io.monitml.baseline.BaselinePublisher;
import io.monitml.baseline.BaselineSpec;
import io.monitml.config.Durations;
import io.monitml.config.MonitMlConfig;
import io.monitml.http.CloudEventIngest;
import io.monitml.demo.CanaryTrafficGenerator;
import io.monitml.demo.DemoBaseline;
import io.monitml.demo.GroundTruth;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.HttpLabelSink;
import io.monitml.demo.TrafficConfig;
import io.monitml.serde.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code monitml demo}: the reference demo. A house-price model served as a 75/25 canary whose
 * second variant answers 100 to everything; after a while the input distribution shifts.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Run the canary demo: embedded Kafka broker and schema registry, a traffic generator sending Seldon Core "
            + "request-logger events for a house-price model (variant v1: a linear model, 75%%; variant v2: answers 100, 25%%), "
            + "the pipeline, and the HTTP port. Prints a table per closed window. Stops on Ctrl-C."})
final class DemoCommand implements Callable<Integer> {

    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    /** The demo's port has no token by default: it stays on this machine unless --http-host opens it. */
    static final String DEFAULT_HTTP_HOST = "127.0.0.1";

    @Mixin
    ConfigOptions options;

    @Option(names = "--rate", paramLabel = "REQUESTS_PER_SECOND",
        defaultValue = "${env:MONITML_DEMO_RATE:-" + TrafficConfig.DEFAULT_REQUESTS_PER_SECOND + "}",
        description = "Requests per second the generator sends (env MONITML_DEMO_RATE). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--canary-share", paramLabel = "FRACTION",
        defaultValue = "${env:MONITML_DEMO_CANARY_SHARE:-" + TrafficConfig.DEFAULT_CANARY_SHARE + "}",
        description = "Share of the traffic routed to the broken variant v2 (env MONITML_DEMO_CANARY_SHARE). Default: ${DEFAULT-VALUE}.")
    double canaryShare;

    @Option(names = "--drift-after", paramLabel = "DURATION", defaultValue = "${env:MONITML_DEMO_DRIFT_AFTER:-2m}",
        description = "When the generator starts shifting the distribution of rm and lstat (env MONITML_DEMO_DRIFT_AFTER). Default: ${DEFAULT-VALUE}.")
    String driftAfter;

    @Option(names = "--label-share", paramLabel = "FRACTION",
        defaultValue = "${env:MONITML_DEMO_LABEL_SHARE:-" + GroundTruth.DEFAULT_SHARE + "}",
        description = "Share of the calls whose true price is posted to /api/v1/labels 10 to 50 s later; 0: none "
            + "(env MONITML_DEMO_LABEL_SHARE). Default: ${DEFAULT-VALUE}.")
    double labelShare;

    @Override
    public Integer call() throws Exception {
        final var config = config(System.getenv());
        Lifecycle.runUntilStopped(() -> startDemo(config));
        return 0;
    }

    /** The demo's settings: its own window, and its HTTP port on the loopback interface unless --http-host says otherwise. */
    MonitMlConfig config(final java.util.Map<String, String> environment) {
        return options.toConfig(DEFAULT_WINDOW, DEFAULT_HTTP_HOST, environment);
    }

    /** Where this machine reaches the port: its own address, or the loopback one when it listens on every interface. */
    static String localAddress(final String httpHost) {
        return httpHost.equals("0.0.0.0") || httpHost.equals("::") || httpHost.equals("[::]") ? "127.0.0.1"
            : httpHost.contains(":") && !httpHost.startsWith("[") ? "[" + httpHost + "]" : httpHost;
    }

    private AutoCloseable startDemo(final MonitMlConfig config) {
        if (!config.ingest().enabled()) {
            throw new IllegalArgumentException("The demo posts Seldon's logger events to the ingest endpoint: leave --ingest on");
        }
        final MonitMlApplication app = MonitMlApplication.start(config, new ConsoleTable(System.out, config.topology().groundTruth().minLabels()));
        try {
            final TrafficConfig traffic = TrafficConfig.defaults()
                .withRequestsPerSecond(rate)
                .withCanaryShare(canaryShare)
                .withDriftAfter(Durations.parse(driftAfter));
            // The generator plays Seldon's executor: it posts its request-logger events to MonitML's own ingest endpoint.
            final String host = localAddress(app.config().httpHost());
            final String base = app.config().http().scheme() + "://" + host + ":" + app.httpPort();
            final URI loggerUrl = URI.create(base + "/");
            // The banner is the first thing on standard output, written in one piece before any thread of the demo
            // prints (the formatter would write it piece by piece, and a log line could land between two pieces).
            System.out.print(String.format("%nMonitML demo: %s requests/s posted to %s as Seldon's request logger would "
                    + "(v2 share %.0f%%), drift from %s on; the true prices of %.0f%% of them to %s%s 10 to 50 s later.%n"
                    + "Page: %s/ui/   Metrics: %s/metrics   Ctrl-C stops.%n%n",
                rate, loggerUrl, canaryShare * 100, Durations.format(traffic.driftAfter()), labels(config) * 100, base,
                CloudEventIngest.LABELS_PATH, base, base));
            System.out.flush();
            publishBaseline(app);
            return startTraffic(app, traffic, loggerUrl);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private static void publishBaseline(final MonitMlApplication app) {
        final BaselineSpec spec = DemoBaseline.spec();
        final TrainingBaseline baseline = DemoBaseline.build(Instant.now());
        final MonitMlConfig config = app.config();
        final SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistryUrl(), config.schemaRegistryUserInfo());
        // Against a secured cluster (demo with --bootstrap-servers) the baseline goes with the same TLS and SASL settings.
        BaselinePublisher.publish(config.bootstrapServers(), config.kafka(), registry, config.topics().baselines(), spec.key(), baseline);
        System.out.printf("Published the training baseline %s (%d rows) to %s.%n", spec.key(), baseline.getRowCount(),
            app.config().topics().baselines());
    }

    /** The share of calls labelled: none when the pipeline joins no labels. */
    private double labels(final MonitMlConfig config) {
        return config.topology().groundTruth().enabled() ? labelShare : 0.0;
    }

    private AutoCloseable startTraffic(final MonitMlApplication app, final TrafficConfig traffic, final URI loggerUrl) {
        final HttpCloudEventSink sink = new HttpCloudEventSink(loggerUrl, app.config().ingest().token());
        final HttpLabelSink labelSink = new HttpLabelSink(loggerUrl.resolve(CloudEventIngest.LABELS_PATH), app.config().ingest().token());
        final CanaryTrafficGenerator generator = CanaryTrafficGenerator.create(traffic, sink)
            .labelledBy(new GroundTruth(labels(app.config()), GroundTruth.DEFAULT_MIN_DELAY, GroundTruth.DEFAULT_MAX_DELAY, labelSink,
                traffic.seed() + 1));
        final Thread generatorThread = new Thread(generator, "monitml-demo-traffic");
        generatorThread.setDaemon(true);
        generatorThread.start();
        return () -> {
            generator.close();
            generatorThread.join(Duration.ofSeconds(5).toMillis());
            sink.close();
            labelSink.close();
            app.close();
        };
    }
}
