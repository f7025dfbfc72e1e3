package io.monitml.baseline;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Tables for tests: the demo's Boston housing CSV, a CSV written from text, and a table's rows in memory. */
public final class TestTables {

    private TestTables() {
    }

    public static Table boston() throws IOException {
        try {
            return CsvFile.open(Path.of(TestTables.class.getResource("/data/boston-housing.csv").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSV file of this text in the directory, read as a table. */
    public static Table csv(final Path dir, final String name, final String text) throws IOException {
        return CsvFile.open(Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8));
    }

    public static List<String[]> rows(final Table table) throws IOException {
        final List<String[]> rows = new ArrayList<>();
        table.forEachRow(rows::add);
        return rows;
    }
}
