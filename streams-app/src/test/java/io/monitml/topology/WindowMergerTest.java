package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.config.Defaults;
import io.monitml.config.Topics;
import io.monitml.config.TopologySettings;

/**
 * The merging stage's watermark, as logic: partials and progress announcements of several sources
 * piped straight into a {@link WindowMerger}. A partial here is text, {@code "<window start>:<items>"},
 * merged by concatenation, so that what a closed window holds shows which partials it got.
 */
class WindowMergerTest {

    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration FLUSH = Duration.ofSeconds(1);
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration STALLED = Duration.ofSeconds(30);
    private static final Instant CLOCK = Instant.parse("2026-12-07T10:00:00Z");
    /** A window start well before the clock. */
    private static final long T0 = CLOCK.minusSeconds(600).toEpochMilli();

    @TempDir
    java.nio.file.Path stateDir;

    private final List<String> late = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> input;
    private TestOutputTopic<String, String> closed;

    @BeforeEach
    void createDriver() {
        final TopologySettings settings = new TopologySettings(Topics.defaults(), TopologySettings.Sources.cloudEventsOnly(), WINDOW,
            GRACE, FLUSH, Duration.ofHours(1), TopologySettings.Pairing.off(), Defaults.drift(), Defaults.limits(),
            new TopologySettings.Watermarks(IDLE, STALLED));
        final PipelineListener listener = new PipelineListener() {
            @Override
            public void late(final String stage, final long records) {
                late.add(stage + " x" + records);
            }
        };
        final WindowMerger.Partials<String> text = new WindowMerger.Partials<>() {
            @Override
            public long windowStart(final String partial) {
                return Long.parseLong(partial.substring(0, partial.indexOf(':')));
            }

            @Override
            public String merge(final String aggregate, final String partial) {
                return aggregate == null ? partial : aggregate + partial.substring(partial.indexOf(':') + 1);
            }

            @Override
            public void records(final String partial, final java.util.function.ObjLongConsumer<String> byAggregation) {
                byAggregation.accept("text", partial.length() - partial.indexOf(':') - 1);
            }
        };
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.timestampedWindowStoreBuilder(
            Stores.persistentTimestampedWindowStore("windows", Duration.ofHours(1), WINDOW, false), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("watermark"), Serdes.String(), Serdes.ByteArray()));
        builder.stream("partials", Consumed.with(Serdes.String(), Serdes.String()))
            .process(() -> new WindowMerger<>("text", "windows", "watermark", text, settings, listener), Named.as("merge"), "windows",
                "watermark")
            .map((window, aggregate) -> org.apache.kafka.streams.KeyValue.pair(window.key() + "@" + (window.window().start() - T0) / 1000,
                aggregate.substring(aggregate.indexOf(':') + 1)))
            .to("closed", Produced.with(Serdes.String(), Serdes.String()));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "window-merger-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props, CLOCK);
        input = driver.createInputTopic("partials", new StringSerializer(), new StringSerializer());
        closed = driver.createOutputTopic("closed", new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldCloseAWindowOnlyWhenTheSlowestSourceHasPassedItsEndPlusGrace() {
        partial("unit", 0, "a");
        partial("unit", 0, "b");
        announce("fast", 40, false);
        announce("slow", 5, false);
        started();
        assertThat(closed.readKeyValuesToMap()).as("the slow source is still inside the first window").isEmpty();

        partial("unit", 0, "c");
        announce("slow", 11, false);
        assertThat(closed.readKeyValuesToMap()).as("end 10 s plus grace 2 s not yet passed by the slow source").isEmpty();

        announce("slow", 12, false);
        assertThat(closed.readKeyValuesToList()).containsExactly(org.apache.kafka.streams.KeyValue.pair("unit@0", "abc"));
        assertThat(late).isEmpty();
    }

    @Test
    void shouldCountAPartialOfAClosedWindowAsLateWithWhatItHolds() {
        started();
        partial("unit", 0, "a");
        announce("only", 12, false);
        assertThat(closed.readValuesToList()).containsExactly("a");

        partial("unit", 0, "xyz");
        partial("unit", 10, "d");
        assertThat(late).containsExactly("text x3");
        announce("only", 22, false);
        assertThat(closed.readKeyValuesToList()).containsExactly(org.apache.kafka.streams.KeyValue.pair("unit@10", "d"));
    }

    @Test
    void shouldLetAnIdleSourceHoldNothingBackAndNeverMoveTheWatermarkBack() {
        partial("unit", 0, "a");
        announce("busy", 30, false);
        announce("quiet", 3, true);
        started();
        assertThat(closed.readValuesToList()).as("the quiet source is idle: the busy one decides").containsExactly("a");

        partial("unit", 20, "b");
        announce("quiet", 4, false);
        announce("busy", 40, false);
        assertThat(closed.readValuesToList()).as("active again, behind: the watermark stays where it was").isEmpty();
        assertThat(late).isEmpty();
        announce("quiet", 32, false);
        assertThat(closed.readValuesToList()).containsExactly("b");
    }

    @Test
    void shouldStopWaitingForASourceThatHasAnnouncedNothingForTheStalledTimeout() {
        partial("unit", 0, "a");
        announce("running", 30, false);
        announce("gone", 3, false);
        started();
        driver.advanceWallClockTime(STALLED.minus(IDLE).minus(FLUSH));
        assertThat(closed.readValuesToList()).as("within the stalled timeout the silent source holds the window").isEmpty();

        announce("running", 31, false);
        driver.advanceWallClockTime(FLUSH.multipliedBy(2));
        assertThat(closed.readValuesToList()).containsExactly("a");
    }

    @Test
    void shouldHoldTheWatermarkForTheIdleTimeoutAfterItStartsForSourcesItHasNotHeardFromYet() {
        partial("unit", 0, "a");
        announce("first", 30, false);
        assertThat(closed.readValuesToList()).as("a source not heard from yet may still be inside the window").isEmpty();
        announce("second", 5, false);
        driver.advanceWallClockTime(IDLE);
        assertThat(closed.readValuesToList()).as("the second source, heard within the idle timeout, holds the window").isEmpty();
        announce("second", 12, false);
        assertThat(closed.readValuesToList()).containsExactly("a");
    }

    @Test
    void shouldCloseWindowsOldestFirstWhenTheWatermarkJumps() {
        started();
        partial("b-unit", 0, "1");
        partial("a-unit", 10, "2");
        partial("b-unit", 20, "3");
        partial("a-unit", 0, "4");
        announce("only", 100, false);
        assertThat(closed.readKeyValuesToList()).extracting(kv -> kv.key)
            .containsExactly("a-unit@0", "b-unit@0", "a-unit@10", "b-unit@20");
    }

    /** Past the idle timeout the merger holds the watermark for after it starts. */
    private void started() {
        driver.advanceWallClockTime(IDLE);
    }

    private void partial(final String unit, final long windowSeconds, final String items) {
        input.pipeInput(new TestRecord<>(unit, (T0 + windowSeconds * 1000) + ":" + items, CLOCK));
    }

    /** An announcement of {@code source}: its progress {@code seconds} after {@link #T0}. */
    private void announce(final String source, final long seconds, final boolean idle) {
        final long time = T0 + seconds * 1000;
        final Headers headers = Progress.headers(time, idle);
        input.pipeInput(new TestRecord<String, String>(source, null, new RecordHeaders(headers.toArray()), time));
    }
}
