package io.monitml.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        // The jar's manifest names the version; any class of the jar reads it.
        final String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"monitml " + (version == null ? "development build" : version)};
    }
}
