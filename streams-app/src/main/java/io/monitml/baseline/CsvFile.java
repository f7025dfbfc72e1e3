package io.monitml.baseline;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * A CSV file with a header line, read as a stream by Jackson's CSV parser (RFC 4180: a quoted
 * field may hold commas, doubled quotes and line breaks; CRLF or LF line ends; a UTF-8 byte-order
 * mark is skipped). A pass holds one row at a time; each pass reads the file again. Spaces around
 * unquoted cells are trimmed, and blank lines are skipped.
 */
public final class CsvFile implements Table {

    private static final ObjectReader ROWS = CsvMapper.builder()
        .enable(CsvParser.Feature.WRAP_AS_ARRAY)
        .enable(CsvParser.Feature.TRIM_SPACES)
        .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
        .build()
        .readerFor(String[].class)
        .with(CsvSchema.emptySchema());

    private final Path file;
    private final List<String> header;

    private CsvFile(final Path file, final List<String> header) {
        this.file = file;
        this.header = header;
    }

    public static CsvFile open(final Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file)); MappingIterator<String[]> rows = ROWS.readValues(in)) {
            if (!hasNext(rows, file)) {
                throw new IllegalArgumentException(file + " is empty; a header line naming the columns is needed");
            }
            return new CsvFile(file, List.of(next(rows, file)));
        }
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public void forEachRow(final Consumer<String[]> row) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file)); MappingIterator<String[]> rows = ROWS.readValues(in)) {
            next(rows, file);
            while (hasNext(rows, file)) {
                final long line = rows.getCurrentLocation().getLineNr();
                final String[] cells = next(rows, file);
                if (cells.length != header.size()) {
                    throw new IllegalArgumentException(file + " line " + line + " has " + cells.length + " fields, the header has "
                        + header.size());
                }
                row.accept(cells);
            }
        }
    }

    private static boolean hasNext(final MappingIterator<String[]> rows, final Path file) throws IOException {
        try {
            return rows.hasNextValue();
        } catch (JsonProcessingException e) {
            throw unreadable(rows, file, e);
        }
    }

    private static String[] next(final MappingIterator<String[]> rows, final Path file) throws IOException {
        try {
            return rows.nextValue();
        } catch (JsonProcessingException e) {
            throw unreadable(rows, file, e);
        }
    }

    private static IllegalArgumentException unreadable(final MappingIterator<String[]> rows, final Path file,
                                                       final JsonProcessingException e) {
        return new IllegalArgumentException(file + " line " + rows.getCurrentLocation().getLineNr() + " is not CSV: "
            + e.getOriginalMessage(), e);
    }
}
