package io.monitml.benchmarks;

import java.time.Duration;

import io.monitml.config.Durations;
import picocli.CommandLine;

/** The benchmarks' command lines, read by picocli as the application's CLI reads its own. */
final class Flags {

    private Flags() {
    }

    /** Fills {@code flags}' annotated fields from {@code args}; an unknown or malformed flag is an error that shows the usage. */
    static <T> T parse(final T flags, final String[] args) {
        final CommandLine command = new CommandLine(flags).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            command.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + command.getUsageMessage(), e);
        }
        return flags;
    }

    /** A duration as the application writes them: {@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(final String value) {
            return Durations.parse(value);
        }
    }

    /** A count that may group its digits with underscores: {@code 1_000_000}. */
    static final class CountConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(final String value) {
            return Long.parseLong(value.replace("_", ""));
        }
    }

    /** Counts as above, as ints. */
    static final class IntCountConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(final String value) {
            return Integer.parseInt(value.trim().replace("_", ""));
        }
    }
}
