package io.monitml.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code monitml} command line. */
@Command(name = "monitml",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Real-time monitoring of machine-learning models served by Seldon Core, on Kafka Streams.",
    subcommands = {RunCommand.class, DemoCommand.class, DecodeCommand.class, BaselineCommand.class, LabelsCommand.class, CompareCommand.class,
        ReportCommand.class, CommandLine.HelpCommand.class})
public final class MonitMl {

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The {@code monitml} command with its subcommands and their options, as {@link #main} runs it. */
    public static CommandLine commandLine() {
        return new CommandLine(new MonitMl())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
                commandLine.getErr().println(commandLine.getColorScheme().errorText("monitml: " + exception.getMessage()));
                return 1;
            });
    }
}
