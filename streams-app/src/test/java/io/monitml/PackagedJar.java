package io.monitml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs the packaged application ({@code target/monitml.jar}, which {@code mvn
 * package} builds before the integration tests) in a JVM of its own.
 */
public final class PackagedJar {

    private PackagedJar() {
    }

    /** {@code java -Xmx<heap> -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -jar target/monitml.jar <arguments>}. */
    public static List<String> command(final String heap, final List<String> arguments) {
        final Path jar = Path.of(System.getProperty("monitml.jar", "target/monitml.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged application (mvn package builds it before the integration tests)").exists();
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString()));
        command.addAll(arguments);
        return command;
    }
}
