package io.monitml.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        final String version = MonitMl.class.getPackage().getImplementationVersion();
        return new String[] {"monitml " + (version == null ? "development build" : version)};
    }
}
