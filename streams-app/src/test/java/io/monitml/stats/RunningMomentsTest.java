package io.monitml.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class RunningMomentsTest {

    private static JsonNode reference() throws IOException {
        try (InputStream in = RunningMomentsTest.class.getResourceAsStream("/fixtures/moments_reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static double[] values(final JsonNode reference) {
        final JsonNode values = reference.get("values");
        final double[] result = new double[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i).asDouble();
        }
        return result;
    }

    private static void assertMatchesNumpy(final RunningMoments moments, final JsonNode reference) {
        assertThat(moments.count()).isEqualTo(reference.get("count").asLong());
        assertThat(moments.mean()).isCloseTo(reference.get("mean").asDouble(), within(1e-9 * Math.abs(reference.get("mean").asDouble())));
        assertThat(moments.variance()).isCloseTo(reference.get("variance").asDouble(), within(1e-9 * reference.get("variance").asDouble()));
        assertThat(moments.min()).isEqualTo(reference.get("min").asDouble());
        assertThat(moments.max()).isEqualTo(reference.get("max").asDouble());
    }

    @Test
    void shouldMatchNumpyInOnePass() throws IOException {
        final JsonNode reference = reference();
        final RunningMoments moments = new RunningMoments();
        for (double value : values(reference)) {
            moments.add(value);
        }
        assertMatchesNumpy(moments, reference);
    }

    @Test
    void shouldMatchNumpyWhenPartitionsAreMergedInAnyGrouping() throws IOException {
        final JsonNode reference = reference();
        final double[] values = values(reference);
        final RunningMoments[] partitions = {new RunningMoments(), new RunningMoments(), new RunningMoments()};
        for (int i = 0; i < values.length; i++) {
            // Uneven partitions: one gets most values, one only a few.
            partitions[i % 7 == 0 ? 2 : i % 3 == 0 ? 1 : 0].add(values[i]);
        }
        final RunningMoments merged = new RunningMoments();
        merged.merge(partitions[2]);
        merged.merge(new RunningMoments());
        merged.merge(partitions[0]);
        merged.merge(partitions[1]);

        assertMatchesNumpy(merged, reference);
    }

    @Test
    void shouldRebuildFromStoredPartsAndIgnoreMissingValues() throws IOException {
        final JsonNode reference = reference();
        final RunningMoments moments = new RunningMoments();
        for (double value : values(reference)) {
            moments.add(value);
            moments.add(Double.NaN);
        }
        final RunningMoments rebuilt = RunningMoments.of(moments.count(), moments.mean(), moments.m2(), moments.min(), moments.max());

        assertMatchesNumpy(rebuilt, reference);
    }

    @Test
    void shouldBeEmptyWithoutValues() {
        final RunningMoments empty = new RunningMoments();
        assertThat(empty.count()).isZero();
        assertThat(empty.mean()).isNaN();
        assertThat(empty.variance()).isNaN();
        assertThat(empty.min()).isNaN();
        empty.add(3.0);
        assertThat(empty.variance()).isNaN();
        assertThat(empty.mean()).isEqualTo(3.0);
    }
}
