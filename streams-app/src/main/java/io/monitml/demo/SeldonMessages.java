package io.monitml.demo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes SeldonMessage JSON bodies ({@code {"data":{"names":[...],"ndarray":[[...]]}}}) as the
 * executor logs them. Streams with a generator rather than building a tree because the generator
 * writes hundreds of bodies a second.
 */
final class SeldonMessages {

    private static final JsonFactory JSON = new JsonFactory();

    private SeldonMessages() {}

    /** A request body: one ndarray row per feature row. */
    static byte[] request(List<String> names, double[][] rows) {
        return write(names, rows, false);
    }

    /** A response body: one single-value ndarray row per prediction, and an empty meta. */
    static byte[] response(String name, double[] predictions) {
        double[][] rows = new double[predictions.length][];
        for (int i = 0; i < predictions.length; i++) {
            rows[i] = new double[] {predictions[i]};
        }
        return write(List.of(name), rows, true);
    }

    private static byte[] write(List<String> names, double[][] rows, boolean withMeta) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 16 * names.size() * rows.length);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeObjectFieldStart("data");
            json.writeArrayFieldStart("names");
            for (String name : names) {
                json.writeString(name);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("ndarray");
            for (double[] row : rows) {
                json.writeArray(row, 0, row.length);
            }
            json.writeEndArray();
            json.writeEndObject();
            if (withMeta) {
                json.writeObjectFieldStart("meta");
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to memory", e);
        }
        return out.toByteArray();
    }
}
