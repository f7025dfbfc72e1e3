package org.apache.kafka.common.utils;

/**
 * Test-only bridge. Kafka 4.4.0 moved this class to {@code org.apache.kafka.common.utils.internals},
 * but MirrorMaker 2's newest modules on Maven Central (connect-mirror 4.3.1, which MirroringIT runs
 * on the 4.4.0 Connect runtime) still call it here, for their connectors' {@code version()}. Never in
 * the application's jar; remove it together with {@link Exit} once connect-mirror 4.4.0 is used.
 */
public final class AppInfoParser {

    private AppInfoParser() {
    }

    public static String getVersion() {
        return org.apache.kafka.common.utils.internals.AppInfoParser.getVersion();
    }
}
