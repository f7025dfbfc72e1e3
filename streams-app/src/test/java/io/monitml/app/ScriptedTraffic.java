package io.monitml.app;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

import io.monitml.demo.BostonHousing;
import io.monitml.demo.CanaryTrafficGenerator;
import io.monitml.demo.GeneratedRequest;
import io.monitml.demo.KafkaCloudEventSink;
import io.monitml.demo.LinearModel;
import io.monitml.demo.SeldonEvent;
import io.monitml.demo.SeldonEventSink;
import io.monitml.demo.TrafficConfig;

/**
 * The demo's canary traffic, generated once on a virtual clock (so every run reads exactly the
 * same records), with a malformed record every {@value #MALFORMED_EVERY} calls, and played to
 * Kafka topics at a fixed pace of event time against wall-clock time.
 */
final class ScriptedTraffic {

    static final int MALFORMED_EVERY = 97;

    private final Instant start;
    private final List<ProducerRecord<byte[], byte[]>> records;
    private final Map<String, long[]> expected;
    private final int malformed;

    private ScriptedTraffic(final Instant start, final List<ProducerRecord<byte[], byte[]>> records,
                            final Map<String, long[]> expected, final int malformed) {
        this.start = start;
        this.records = records;
        this.expected = expected;
        this.malformed = malformed;
    }

    /**
     * @param start           event time of the first call
     * @param span            event time the calls cover
     * @param callsPerSecond  calls per second of event time
     * @param window          the windows {@link #expected(String, Instant)} counts in
     */
    static ScriptedTraffic generate(final Instant start, final Duration span, final int callsPerSecond,
                                    final Duration window, final Duration driftAfter) {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        final Map<String, long[]> expected = new TreeMap<>();
        int malformed = 0;
        long i = 0;
        for (GeneratedRequest call : calls(start, span.toSeconds() * callsPerSecond, Duration.ofSeconds(1).dividedBy(callsPerSecond),
            driftAfter)) {
            records.add(KafkaCloudEventSink.toRecord("", call.request()));
            records.add(KafkaCloudEventSink.toRecord("", call.response()));
            final long[] counts = expected.computeIfAbsent(
                key(call.endpoint(), windowStart(call.response().time(), window)), k -> new long[2]);
            counts[0]++;
            counts[1] += call.predictions().length;
            if (i++ % MALFORMED_EVERY == MALFORMED_EVERY - 1) {
                final SeldonEvent response = call.response();
                final SeldonEvent truncated = new SeldonEvent(SeldonEvent.RESPONSE_TYPE, "malformed-" + i, "malformed-" + i,
                    response.namespace(), response.inferenceServiceName(), call.endpoint(), response.modelId(),
                    call.request().time(), SeldonEvent.JSON, "{\"data\": {\"ndarray\": [[".getBytes(StandardCharsets.UTF_8));
                records.add(KafkaCloudEventSink.toRecord("", truncated));
                malformed++;
            }
        }
        return new ScriptedTraffic(start, Collections.unmodifiableList(records), expected, malformed);
    }

    /** {@code count} calls of the demo's canary traffic (seeded), one every {@code step} of event time from {@code start}. */
    static List<GeneratedRequest> calls(final Instant start, final long count, final Duration step, final Duration driftAfter) {
        final Instant[] now = {start};
        final Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(final ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        final SeldonEventSink discard = new SeldonEventSink() {
            @Override
            public void send(final SeldonEvent event) {
            }

            @Override
            public void close() {
            }
        };
        final BostonHousing data = BostonHousing.load();
        final CanaryTrafficGenerator generator = new CanaryTrafficGenerator(
            TrafficConfig.defaults().withSeed(20261127L).withDriftAfter(driftAfter), data, LinearModel.fit(data), discard, clock);
        final List<GeneratedRequest> calls = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            calls.add(generator.nextRequest());
            now[0] = now[0].plus(step);
        }
        return calls;
    }

    static String key(final String variant, final Instant windowStart) {
        return variant + "@" + windowStart;
    }

    static Instant windowStart(final Instant time, final Duration window) {
        return Instant.ofEpochMilli(time.toEpochMilli() - Math.floorMod(time.toEpochMilli(), window.toMillis()));
    }

    Instant start() {
        return start;
    }

    int records() {
        return records.size();
    }

    int malformed() {
        return malformed;
    }

    /** Responses and prediction rows the generator made for {@code variant} in the window starting at {@code windowStart}. */
    long[] expected(final String variant, final Instant windowStart) {
        return expected.getOrDefault(key(variant, windowStart), new long[2]);
    }

    /**
     * Plays every record to each topic, each at {@code start + (its time - first time) / pace} of
     * wall-clock time, from a thread of its own; the producer is idempotent and keeps retrying
     * through a broker outage of up to two minutes.
     */
    Playback play(final String bootstrapServers, final List<String> topics, final double pace) {
        return play(bootstrapServers, topics, pace, 1);
    }

    /**
     * As {@link #play(String, List, double)}, to {@code partitions} partitions of each topic: a record
     * by its key (the request id) as Kafka's default partitioner would, so that an inference's halves
     * share a partition and each partition gets its share.
     */
    Playback play(final String bootstrapServers, final List<String> topics, final double pace, final int partitions) {
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Thread player = new Thread(() -> {
            try (Producer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000), new ByteArraySerializer(), new ByteArraySerializer())) {
                final long wallStart = System.nanoTime();
                for (ProducerRecord<byte[], byte[]> record : records) {
                    final long due = wallStart + (long) ((record.timestamp() - start.toEpochMilli()) * 1e6 / pace);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    for (String topic : topics) {
                        final int partition = record.key() == null ? 0 : Utils.toPositive(Utils.murmur2(record.key())) % partitions;
                        producer.send(new ProducerRecord<>(topic, partition, record.timestamp(), record.key(), record.value(), record.headers()),
                            (metadata, exception) -> {
                                if (exception != null) {
                                    failure.compareAndSet(null, exception);
                                }
                            });
                    }
                }
                producer.flush();
            }
        }, "scripted-traffic");
        player.start();
        return new Playback(player, failure);
    }

    /** A playing of the traffic. */
    record Playback(Thread player, AtomicReference<Exception> failure) {

        /** Waits until every record was acknowledged by the broker, failing after {@code timeout} or on a failed write. */
        void await(final Duration timeout) throws InterruptedException {
            TimeUnit.MILLISECONDS.timedJoin(player, timeout.toMillis());
            if (player.isAlive()) {
                throw new AssertionError("the traffic was not all written within " + timeout);
            }
            if (failure.get() != null) {
                throw new AssertionError("the traffic could not all be written", failure.get());
            }
        }
    }
}
