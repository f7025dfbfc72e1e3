package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.monitml.avro.PredictionPartial;
import io.monitml.serde.AvroSerdes;

/**
 * The per-partition buffer of partials writes to its changelog at commit time, with every update
 * processed so far, and not once per record.
 */
class WriteBehindBufferTest extends TopologyTestSupport {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void shouldLogTheBufferedPartialAtEachCommitAndATombstoneOnceFlushed() {
        final TestOutputTopic<String, PredictionPartial> changelog = fixture.driver.createOutputTopic(
            TopologyFixture.APPLICATION_ID + "-" + Names.PREDICTION_PARTIALS_BUFFER + "-changelog", new StringDeserializer(),
            AvroSerdes.specific(PredictionPartial.class, fixture.registry, false).deserializer());

        fixture.response("v1", T0.plusSeconds(1), 10.0, 20.0);
        fixture.response("v1", T0.plusSeconds(2), 30.0);

        final List<TestRecord<String, PredictionPartial>> logged = changelog.readRecordsToList();
        assertThat(logged).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        final PredictionPartial last = logged.get(logged.size() - 1).value();
        assertThat(last.getCount()).as("the changelog holds every update processed before the commit").isEqualTo(3);
        assertThat(last.getMax()).isEqualTo(30.0);

        fixture.flush();
        fixture.response("v1", T0.plusSeconds(3), 40.0);

        final List<TestRecord<String, PredictionPartial>> afterFlush = changelog.readRecordsToList();
        assertThat(afterFlush).anySatisfy(record -> assertThat(record.value()).as("tombstone of the flushed partial").isNull());
        assertThat(afterFlush.get(afterFlush.size() - 1).value().getCount()).as("a new partial starts after the flush").isEqualTo(1);
    }
}
