package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.monitml.avro.PredictionStats;
import io.monitml.config.Topics;
import io.monitml.demo.SeldonEvent;

/** {@code --inferences-topic ""}: no joined rows, and the latency quantiles as with them. */
class JoinedRowsOffTest extends TopologyTestSupport {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String REQUEST = "{\"data\":{\"names\":[\"rm\",\"lstat\"],\"ndarray\":[[6.5,4.98]]}}";
    private static final String RESPONSE = "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[24000.0]]},\"meta\":{}}";

    @Override
    Topics topics() {
        return new Topics(TopologyFixture.TOPICS.raw(), TopologyFixture.TOPICS.deadLetter(),
            TopologyFixture.TOPICS.predictionStats(), TopologyFixture.TOPICS.drift(), TopologyFixture.TOPICS.baselines(), "");
    }

    @Test
    void shouldMeasureLatencyWithoutWritingJoinedRows() {
        assertThat(topics().all()).doesNotContain("");
        for (int latency = 1; latency <= 100; latency++) {
            final Instant requested = T0.plusMillis(latency * 50L);
            fixture.send(SeldonEvent.REQUEST_TYPE, "v1", requested, REQUEST, "r-" + latency);
            fixture.send(SeldonEvent.RESPONSE_TYPE, "v1", requested.plusMillis(latency), RESPONSE, "r-" + latency);
        }
        fixture.flush();
        fixture.response("v1", T0.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE), 1.0);
        fixture.flush();

        final PredictionStats v1 = fixture.stats.readValue();
        assertThat(v1.getLatencyP50Millis()).isEqualTo(50.0);
        assertThat(v1.getLatencyP99Millis()).isEqualTo(99.0);
        assertThat(fixture.listener.paired).isEqualTo(100);
        assertThat(fixture.driver.producedTopicNames()).doesNotContain(Topics.DEFAULT_INFERENCES);
        assertThat(fixture.driver.producedTopicNames()).noneMatch(String::isEmpty);
    }
}
