package io.monitml.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.monitml.app.MonitMlApplication;
import io.monitml.config.Defaults;
import io.monitml.topology.PipelineListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code monitml run}: the pipeline against the configured cluster (or the embedded one). */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the monitoring pipeline against the configured Kafka cluster and schema registry "
        + "(with no bootstrap servers set: against an embedded broker and registry). Stops on Ctrl-C.")
final class RunCommand implements Callable<Integer> {

    static final Duration DEFAULT_WINDOW = Defaults.duration(Defaults.WINDOW);

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        final var config = options.toConfig(DEFAULT_WINDOW, System.getenv());
        Lifecycle.runUntilStopped(() -> MonitMlApplication.start(config, PipelineListener.NONE));
        return 0;
    }
}
