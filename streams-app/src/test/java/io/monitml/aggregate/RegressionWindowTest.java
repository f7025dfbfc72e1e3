package io.monitml.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The realized regression figures against scikit-learn, numpy and scipy
 * ({@code fixtures/regression_reference.py}, run once, its JSON committed): each case in one window,
 * and split unevenly over three windows merged in another order, as partitions' partials are.
 */
class RegressionWindowTest {

    /** Relative tolerance: the moments are exact to rounding. */
    private static final double RELATIVE = 1e-9;

    @TestFactory
    List<DynamicTest> matchesScikitLearnInOneWindowAndMergedFromThree() throws IOException {
        final JsonNode reference;
        try (InputStream in = RegressionWindowTest.class.getResourceAsStream("/fixtures/regression_reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        assertThat(reference.get("cases")).hasSizeGreaterThanOrEqualTo(6);
        final List<DynamicTest> tests = new ArrayList<>();
        for (final JsonNode c : reference.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                final RegressionWindow whole = new RegressionWindow();
                final RegressionWindow[] parts = {new RegressionWindow(), new RegressionWindow(), new RegressionWindow()};
                for (int i = 0; i < c.get("truths").size(); i++) {
                    final double prediction = c.get("predictions").get(i).asDouble();
                    final double truth = c.get("truths").get(i).asDouble();
                    final long lag = c.get("lagsMillis").get(i).asLong();
                    whole.add(prediction, truth, lag);
                    parts[i % 5 == 0 ? 2 : i % 2].add(prediction, truth, lag);
                }
                assertMatches(whole.summary(), c.get("expected"), "one window");
                final RegressionWindow merged = new RegressionWindow();
                merged.merge(parts[2]);
                merged.merge(parts[0]);
                merged.merge(new RegressionWindow());
                merged.merge(parts[1]);
                assertMatches(merged.summary(), c.get("expected"), "merged from three");
            }));
        }
        return tests;
    }

    private static void assertMatches(final RegressionSummary actual, final JsonNode expected, final String how) {
        assertThat(actual.labelled()).as(how).isEqualTo(expected.get("labelled").asLong());
        assertThat(actual.zeroTruths()).as(how).isEqualTo(expected.get("zeroTruths").asLong());
        close(actual.mae(), expected.get("mae"), "mae " + how, actual.rmse());
        close(actual.rmse(), expected.get("rmse"), "rmse " + how, actual.rmse());
        close(actual.bias(), expected.get("bias"), "bias " + how, actual.rmse());
        close(actual.maeStandardError(), expected.get("maeStandardError"), "MAE's standard error " + how, actual.rmse());
        close(actual.mape(), expected.get("mape"), "mape " + how, 1.0);
        close(actual.r2(), expected.get("r2"), "r2 " + how, 1.0);
        // While the sketch is exact (at most k labels) its quantiles are the data's.
        assertThat(actual.lagP50Millis()).as("lag p50 " + how).isEqualTo(expected.get("lagP50Millis").asDouble());
        assertThat(actual.lagP99Millis()).as("lag p99 " + how).isEqualTo(expected.get("lagP99Millis").asDouble());
    }

    /** Equal within the relative tolerance of {@code scale} (a figure that is 0 has nothing to be relative to); null for null. */
    private static void close(final Double actual, final JsonNode expected, final String what, final Double scale) {
        if (expected == null || expected.isNull()) {
            assertThat(actual).as(what).isNull();
            return;
        }
        assertThat(actual).as(what).isNotNull();
        final double tolerance = RELATIVE * Math.max(1.0, Math.max(Math.abs(expected.asDouble()), scale == null ? 0 : Math.abs(scale)));
        assertThat(Math.abs(actual - expected.asDouble())).as("%s: %s against %s", what, actual, expected.asDouble())
            .isLessThanOrEqualTo(tolerance);
    }
}
