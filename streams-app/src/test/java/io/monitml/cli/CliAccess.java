package io.monitml.cli;

import picocli.CommandLine;

/** The {@code monitml} command line, for tests in other packages. */
public final class CliAccess {

    private CliAccess() {
    }

    public static CommandLine commandLine() {
        return MonitMl.commandLine();
    }
}
