package io.monitml.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.monitml.baseline.CsvFile;
import io.monitml.ingest.Label;
import io.monitml.ingest.LabelJson;
import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * A file of labels, read row by row (twice: once to check all of it, once to send it): JSON lines
 * ({@code .jsonl}, {@code .ndjson}: one label object per line, as {@code POST /api/v1/labels} takes
 * them, vectors included), or CSV with a header naming {@code requestId} and {@code truth} and
 * optionally {@code time} (ISO-8601 or epoch milliseconds; empty: now). A CSV truth that reads as a
 * number is a number, otherwise a class. Every row is read by {@link LabelJson}, so that a file
 * and the topic refuse the same labels for the same reasons.
 */
final class LabelFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final long now;

    /** @param now the time of a label that has none */
    LabelFile(final Path file, final long now) {
        this.file = file;
        this.now = now;
    }

    /** @throws IllegalArgumentException naming the line of the first row that is not a label, and why */
    void forEach(final Consumer<Label> labels) throws IOException {
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            jsonLines(labels);
        } else {
            csv(labels);
        }
    }

    private void jsonLines(final Consumer<Label> labels) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (!line.isBlank()) {
                    labels.accept(read(line.getBytes(StandardCharsets.UTF_8), number));
                }
            }
        }
    }

    private void csv(final Consumer<Label> labels) throws IOException {
        final CsvFile table = CsvFile.open(file);
        final int requestId = table.column("requestId");
        final int truth = table.column("truth");
        final int time = table.header().indexOf("time");
        final int[] row = {1};
        table.forEachRow(cells -> {
            row[0]++;
            final ObjectNode label = JSON.createObjectNode().put("requestId", cells[requestId]);
            final String truthText = cells[truth];
            try {
                final double number = Double.parseDouble(truthText);
                if (!Double.isFinite(number)) {
                    throw new IllegalArgumentException(file + " row " + row[0] + " is not a label (non-finite-number): the truth "
                        + truthText + " is not a finite number");
                }
                label.put("truth", number);
            } catch (NumberFormatException notANumber) {
                label.put("truth", truthText);
            }
            if (time >= 0 && !cells[time].isEmpty()) {
                if (cells[time].chars().allMatch(Character::isDigit)) {
                    label.put("time", Long.parseLong(cells[time]));
                } else {
                    label.put("time", cells[time]);
                }
            }
            labels.accept(read(label.toString().getBytes(StandardCharsets.UTF_8), row[0]));
        });
    }

    private Label read(final byte[] json, final int row) {
        try {
            return LabelJson.read(json, null, now);
        } catch (InvalidRecordException e) {
            throw new IllegalArgumentException(file + " row " + row + " is not a label (" + e.reason() + "): " + e.getMessage(), e);
        }
    }
}
