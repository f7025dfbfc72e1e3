package io.monitml.baseline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A CSV file with a header line, read whole (training sets fit in memory; the baseline keeps
 * only summaries). Quoted fields ({@code "a, b"}, {@code ""} for a quote) follow RFC 4180.
 */
public final class CsvTable {

    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?");

    private final List<String> header;
    private final List<String[]> rows;

    private CsvTable(final List<String> header, final List<String[]> rows) {
        this.header = header;
        this.rows = rows;
    }

    /** A table built in code, e.g. from data a program already holds. */
    public static CsvTable of(final List<String> header, final List<String[]> rows) {
        for (String[] row : rows) {
            if (row.length != header.size()) {
                throw new IllegalArgumentException("a row has " + row.length + " fields, the header has " + header.size());
            }
        }
        return new CsvTable(List.copyOf(header), List.copyOf(rows));
    }

    public static CsvTable read(final Reader source, final String name) throws IOException {
        final BufferedReader in = new BufferedReader(source);
        final String headerLine = in.readLine();
        if (headerLine == null || headerLine.isBlank()) {
            throw new IllegalArgumentException(name + " is empty; a header line naming the columns is needed");
        }
        final List<String> header = List.of(split(headerLine, name, 1));
        final List<String[]> rows = new ArrayList<>();
        int lineNumber = 1;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            final String[] fields = split(line, name, lineNumber);
            if (fields.length != header.size()) {
                throw new IllegalArgumentException(name + " line " + lineNumber + " has " + fields.length
                    + " fields, the header has " + header.size());
            }
            rows.add(fields);
        }
        return new CsvTable(header, rows);
    }

    private static String[] split(final String line, final String name, final int lineNumber) {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(name + " line " + lineNumber + " has an unclosed quote");
        }
        fields.add(field.toString().trim());
        return fields.toArray(String[]::new);
    }

    /** Empty, NA, NaN, null, None and ? stand for a missing value. */
    public static boolean missing(final String cell) {
        return MISSING.contains(cell.toLowerCase(Locale.ROOT));
    }

    /** The cell as a number, or NaN when it is not one. */
    public static double number(final String cell) {
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public List<String> header() {
        return header;
    }

    public int size() {
        return rows.size();
    }

    public int column(final String columnName) {
        final int index = header.indexOf(columnName);
        if (index < 0) {
            throw new IllegalArgumentException("No column " + columnName + "; the columns are " + header);
        }
        return index;
    }

    public String cell(final int row, final int column) {
        return rows.get(row)[column];
    }
}
