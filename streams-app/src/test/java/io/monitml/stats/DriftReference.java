package io.monitml.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The SciPy values of fixtures/drift_reference.json (made by drift_reference.py beside it). */
final class DriftReference {

    private static final JsonNode ROOT = load();

    private DriftReference() {
    }

    private static JsonNode load() {
        try (InputStream in = DriftReference.class.getResourceAsStream("/fixtures/drift_reference.json")) {
            return new ObjectMapper().readTree(in);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode get(final String section) {
        return ROOT.get(section);
    }

    static double[] doubles(final JsonNode array) {
        final double[] result = new double[array.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = array.get(i).asDouble();
        }
        return result;
    }

    static long[] longs(final JsonNode array) {
        final long[] result = new long[array.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = array.get(i).asLong();
        }
        return result;
    }

    /** Relative difference, or absolute where the reference is below 1e-12 (so p ~ 0 compares absolutely). */
    static double relativeError(final double actual, final double expected) {
        final double diff = Math.abs(actual - expected);
        return Math.abs(expected) < 1e-12 ? diff : diff / Math.abs(expected);
    }
}
