package org.apache.kafka.common.utils;

/**
 * Test-only bridge, as {@link AppInfoParser}: the dedicated MirrorMaker driver of connect-mirror
 * 4.3.1 registers its shutdown hook (and exits from its command line) through this class, which
 * Kafka 4.4.0 moved to {@code org.apache.kafka.common.utils.internals}.
 */
public final class Exit {

    private Exit() {
    }

    public static void exit(final int statusCode) {
        org.apache.kafka.common.utils.internals.Exit.exit(statusCode);
    }

    public static void addShutdownHook(final String name, final Runnable runnable) {
        org.apache.kafka.common.utils.internals.Exit.addShutdownHook(name, runnable);
    }
}
