package io.monitml.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the fit against numpy's least-squares solution, committed as a fixture by
 * {@code fixtures/boston_ols_reference.py}, so that the test needs no Python.
 */
class LinearModelTest {

    private static final double RELATIVE_TOLERANCE = 1e-8;

    private static BostonHousing data;
    private static LinearModel model;
    private static JsonNode reference;

    @BeforeAll
    static void fit() throws IOException {
        data = BostonHousing.load();
        model = LinearModel.fit(data);
        try (InputStream in =
                LinearModelTest.class.getResourceAsStream("/fixtures/boston_ols_reference.json")) {
            assertThat(in).as("fixture").isNotNull();
            reference = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void fixtureDescribesTheShippedData() {
        List<String> features = new ArrayList<>();
        reference.get("features").forEach(name -> features.add(name.asText()));

        assertThat(features).isEqualTo(model.featureNames());
        assertThat(reference.get("rows").asInt()).isEqualTo(data.size());
    }

    @Test
    void interceptMatchesNumpy() {
        assertRelativelyClose(model.intercept(), reference.get("intercept").asDouble());
    }

    @Test
    void coefficientsMatchNumpy() {
        double[] coefficients = model.coefficients();
        JsonNode expected = reference.get("coefficients");

        assertThat(coefficients).hasSize(expected.size());
        for (int j = 0; j < coefficients.length; j++) {
            assertRelativelyClose(coefficients[j], expected.get(j).asDouble());
        }
    }

    @Test
    void rSquaredMatchesNumpy() {
        assertRelativelyClose(model.rSquared(), reference.get("rSquared").asDouble());
    }

    @Test
    void predictIsInterceptPlusDotProduct() {
        double[] row = data.row(0);
        double expected = model.intercept();
        for (int j = 0; j < row.length; j++) {
            expected += model.coefficients()[j] * row[j];
        }

        assertThat(model.predict(row)).isEqualTo(expected);
        assertThat(model.predict(row)).isBetween(20.0, 40.0);
    }

    @Test
    void predictRejectsRowsOfTheWrongWidth() {
        assertThatThrownBy(() -> model.predict(new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 12");
    }

    @Test
    void fitRecoversAnExactLinearRelation() {
        double[][] x = {{0, 1}, {1, 0}, {2, 3}, {3, 1}, {4, 4}, {5, 2}};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 + 3 * x[i][0] - 1 * x[i][1];
        }

        LinearModel exact = LinearModel.fit(List.of("a", "b"), x, y);

        assertThat(exact.intercept()).isCloseTo(2, within(1e-12));
        assertThat(exact.coefficients()).containsExactly(new double[] {3, -1}, within(1e-12));
        assertThat(exact.rSquared()).isCloseTo(1, within(1e-12));
    }

    private static void assertRelativelyClose(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * RELATIVE_TOLERANCE));
    }
}
