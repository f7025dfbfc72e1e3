package io.monitml.fuzz;

import java.util.Random;

/**
 * Structure-aware JSON bodies of every protocol Seldon producers send: the right keys in mostly the
 * right places, with values drawn from the hostile end (numbers past a double, NaN literals, long
 * digit runs, unicode and lone surrogates, deep nesting, huge arrays), shapes that disagree with
 * their data, names that disagree with their columns, datatypes that disagree with their values,
 * and now and then a value of the wrong type or a key of another protocol.
 */
public final class JsonBodies {

    private static final String[] NUMBERS = {
        "0", "-0", "1", "-1", "0.5", "-2.75", "1e308", "-1e308", "1e309", "-1e400", "4.9e-324", "1e-400", "NaN", "-Infinity",
        "Infinity", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "18446744073709551616", "123456789012345678901234567890", "1.7976931348623157E308", "3.4028235e38", "65504", "1E2"};
    private static final String[] STRINGS = {
        "", "a", "price", "f0", "x y", "\u00e9t\u00e9", "\u4e2d\u6587", "\ud83d\ude00", "\\ud800", "\\udc00x", "\\u0000",
        "\\\"", "\\\\", "tab\\t", "FAILURE", "SUCCESS", "pd", "np", "BYTES", "FP32"};
    private static final String[] DATATYPES = {
        "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES",
        "fp32", "BF16", "STRING", "", "FP128"};
    private static final String[] OTHER_PROTOCOL_KEYS = {
        "\"data\":{}", "\"instances\":[]", "\"inputs\":[]", "\"jsonData\":{}", "\"predictions\":[1]", "\"model_name\":\"m\"",
        "\"error\":\"boom\"", "\"strData\":\"s\"", "\"meta\":{}"};

    private final Random random;
    private final StringBuilder out = new StringBuilder();

    private JsonBodies(final Random random) {
        this.random = random;
    }

    /** A Seldon Core v1 SeldonMessage: data (names, ndarray or tensor), jsonData, strData, binData, status, meta. */
    public static byte[] seldon(final Random random) {
        return new JsonBodies(random).seldonMessage().bytes();
    }

    /** A TensorFlow / KFServing v1 body: instances or predictions of lists, dicts or scalars. */
    public static byte[] tensorflow(final Random random) {
        return new JsonBodies(random).tensorflowBody().bytes();
    }

    /** An Open Inference Protocol (V2) request or response, pandas codec and parameters included. */
    public static byte[] openInference(final Random random) {
        return new JsonBodies(random).openInferenceBody().bytes();
    }

    /** Any JSON value at all, nested up to {@code depth}. */
    public static String anyValue(final Random random, final int depth) {
        final JsonBodies json = new JsonBodies(random);
        json.value(depth);
        return json.out.toString();
    }

    private byte[] bytes() {
        return Fuzz.utf8(out.toString());
    }

    private JsonBodies seldonMessage() {
        out.append('{');
        switch (random.nextInt(10)) {
            case 0 -> {
                key("jsonData");
                if (random.nextBoolean()) {
                    dictRow();
                } else {
                    dictRows();
                }
            }
            case 1 -> key("strData").string();
            case 2 -> key("binData").append("\"AAEC\"");
            case 3 -> status();
            default -> {
                key("data").append('{');
                if (random.nextInt(4) != 0) {
                    key("names").strings(columns()).append(',');
                }
                if (random.nextInt(3) == 0) {
                    key("tensor").append('{');
                    final long[] shape = shape();
                    key("shape").shapeOf(shape).append(',');
                    key("values").numbers(cellsOf(shape));
                    out.append('}');
                } else {
                    key("ndarray");
                    if (random.nextInt(5) == 0) {
                        scalars(columns());
                    } else {
                        listRows(rows(), columns());
                    }
                }
                out.append('}');
            }
        }
        if (random.nextInt(3) == 0) {
            out.append(',');
            key("meta").append("{\"puid\":").string().append(",\"tags\":").value(3).append('}');
        }
        if (random.nextInt(4) == 0) {
            out.append(',');
            status();
        }
        return close();
    }

    private void status() {
        key("status").append("{\"code\":").append(random.nextBoolean() ? "500" : number())
            .append(",\"info\":").string().append(",\"status\":\"").append(random.nextBoolean() ? "FAILURE" : "SUCCESS").append("\"}");
    }

    private JsonBodies tensorflowBody() {
        out.append('{');
        key(random.nextBoolean() ? "instances" : "predictions");
        switch (random.nextInt(3)) {
            case 0 -> scalars(rows());
            case 1 -> dictRows();
            default -> listRows(rows(), columns());
        }
        if (random.nextInt(4) == 0) {
            out.append(',');
            key("signature_name").string();
        }
        return close();
    }

    private JsonBodies openInferenceBody() {
        out.append('{');
        if (random.nextInt(3) != 0) {
            key("model_name").string().append(',');
        }
        if (random.nextInt(3) != 0) {
            key("model_version").string().append(',');
        }
        if (random.nextInt(3) != 0) {
            key("id").string().append(',');
        }
        final boolean pandas = random.nextInt(3) == 0;
        if (pandas || random.nextInt(4) == 0) {
            key("parameters").append("{\"content_type\":\"").append(pandas ? "pd" : "np").append("\"},");
        }
        key(random.nextBoolean() ? "inputs" : "outputs").append('[');
        final int tensors = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(pandas ? 6 : 3);
        final long rows = rows();
        for (int t = 0; t < tensors; t++) {
            if (t > 0) {
                out.append(',');
            }
            tensor(pandas, rows);
        }
        out.append(']');
        return close();
    }

    private void tensor(final boolean pandas, final long rows) {
        out.append('{');
        key("name").string().append(',');
        final long[] shape = pandas ? new long[] {random.nextInt(6) == 0 ? rows + 1 : rows} : shape();
        if (pandas && random.nextBoolean()) {
            key("shape").shapeOf(new long[] {shape[0], 1}).append(',');
        } else {
            key("shape").shapeOf(shape).append(',');
        }
        final String datatype = random.nextInt(10) == 0 ? DATATYPES[random.nextInt(DATATYPES.length)]
            : pandas && random.nextBoolean() ? "BYTES" : DATATYPES[random.nextInt(13)];
        key("datatype").append('"').append(datatype).append("\",");
        if (random.nextInt(3) == 0) {
            key("parameters").append("{\"content_type\":").string().append('}').append(',');
        }
        key("data");
        final long cells = cellsOf(shape);
        if (datatype.equals("BYTES") != (random.nextInt(8) == 0)) {
            strings(cells);
        } else if (random.nextInt(4) == 0 && shape.length > 1 && shape[0] > 0 && shape[0] <= 2_000) {
            listRows(shape[0], cells / Math.max(1, shape[0]));
        } else {
            numbers(cells);
        }
        out.append('}');
    }

    /** Closes the body, sometimes after a duplicated or foreign key. */
    private JsonBodies close() {
        if (random.nextInt(8) == 0) {
            out.append(',').append(OTHER_PROTOCOL_KEYS[random.nextInt(OTHER_PROTOCOL_KEYS.length)]);
        }
        if (random.nextInt(10) == 0) {
            append(",\"unknown\":").value(4);
        }
        out.append('}');
        return this;
    }

    private JsonBodies key(final String key) {
        out.append('"').append(key).append("\":");
        // Now and then the value is of the wrong kind altogether; what was meant to follow is then a key of its own.
        if (random.nextInt(25) == 0) {
            value(2);
            out.append(",\"").append(key).append("_\":");
        }
        return this;
    }

    private JsonBodies append(final String text) {
        out.append(text);
        return this;
    }

    private JsonBodies append(final char c) {
        out.append(c);
        return this;
    }

    private int columns() {
        return random.nextInt(10) == 0 ? random.nextInt(300) : 1 + random.nextInt(5);
    }

    private long rows() {
        final int pick = random.nextInt(20);
        return pick == 0 ? 0 : pick == 1 ? random.nextInt(2_000) : 1 + random.nextInt(4);
    }

    /** Mostly a plausible shape; sometimes zero, negative, huge or overflowing dimensions. */
    private long[] shape() {
        final long[] shape = new long[random.nextInt(8) == 0 ? random.nextInt(6) : 1 + random.nextInt(3)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = switch (random.nextInt(30)) {
                case 0 -> 0;
                case 1 -> -1;
                case 2 -> 1L << 31;
                case 3 -> 1L << 32;
                case 4 -> Long.MAX_VALUE;
                case 5 -> 1L << 62;
                case 6 -> 1L << 40;
                case 7 -> Integer.MAX_VALUE;
                default -> 1 + random.nextInt(4);
            };
        }
        return shape;
    }

    private JsonBodies shapeOf(final long[] shape) {
        out.append('[');
        for (int i = 0; i < shape.length; i++) {
            out.append(i == 0 ? "" : ",").append(random.nextInt(50) == 0 ? number() : Long.toString(shape[i]));
        }
        out.append(']');
        return this;
    }

    /** The cells a shape needs, mostly; off by one or arbitrary sometimes; bounded for time. */
    private long cellsOf(final long[] shape) {
        long cells = 1;
        for (long dimension : shape) {
            cells = dimension <= 0 || cells > 100_000 / Math.max(1, dimension) ? (dimension == 0 ? 0 : 100_001) : cells * dimension;
        }
        if (cells > 100_000 || random.nextInt(6) == 0) {
            return random.nextInt(8);
        }
        return random.nextInt(10) == 0 ? cells + 1 : cells;
    }

    private JsonBodies numbers(final long count) {
        out.append('[');
        for (long i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append(random.nextInt(20) == 0 ? number() : Double.toString(random.nextGaussian()));
        }
        out.append(']');
        return this;
    }

    private JsonBodies strings(final long count) {
        out.append('[');
        for (long i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",");
            string();
        }
        out.append(']');
        return this;
    }

    private void scalars(final long count) {
        out.append('[');
        for (long i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",");
            scalar();
        }
        out.append(']');
    }

    private void listRows(final long rows, final long columns) {
        out.append('[');
        for (long r = 0; r < rows; r++) {
            out.append(r == 0 ? "" : ",");
            // Ragged rows, nested (image) rows and scalars among rows, now and then.
            final int pick = random.nextInt(40);
            if (pick == 0) {
                scalar();
            } else if (pick == 1) {
                out.append('[');
                scalars(columns);
                out.append(']');
            } else {
                scalars(pick == 2 ? columns + 1 : columns);
            }
        }
        out.append(']');
    }

    private void dictRows() {
        out.append('[');
        final long rows = rows();
        for (long r = 0; r < rows; r++) {
            out.append(r == 0 ? "" : ",");
            dictRow();
        }
        out.append(']');
    }

    private void dictRow() {
        out.append('{');
        final int keys = columns();
        for (int k = 0; k < keys; k++) {
            out.append(k == 0 ? "" : ",");
            // Mostly the same keys row after row; sometimes a fresh key per row, which makes a sparse table.
            out.append("\"").append(random.nextInt(10) == 0 ? "k" + random.nextInt(1_000_000) : "f" + k).append("\":");
            if (random.nextInt(30) == 0) {
                value(2);
            } else {
                scalar();
            }
        }
        out.append('}');
    }

    private void scalar() {
        switch (random.nextInt(12)) {
            case 0 -> string();
            case 1 -> out.append(random.nextBoolean());
            case 2 -> out.append("null");
            case 3 -> out.append(number());
            default -> out.append(random.nextInt(1000) - 500).append('.').append(random.nextInt(100));
        }
    }

    private String number() {
        if (random.nextInt(200) == 0) {
            // Longer than the parser's number limit.
            return "1" + "0".repeat(500 + random.nextInt(1_000));
        }
        return NUMBERS[random.nextInt(NUMBERS.length)];
    }

    private JsonBodies string() {
        if (random.nextInt(2_000) == 0) {
            out.append('"').append("s".repeat((1 << 20) + 1)).append('"');
            return this;
        }
        out.append('"').append(STRINGS[random.nextInt(STRINGS.length)]);
        if (random.nextBoolean()) {
            out.append(random.nextInt(100));
        }
        out.append('"');
        return this;
    }

    /** Any value; deep nesting (past the decoders' limit) now and then. */
    private JsonBodies value(final int depth) {
        if (random.nextInt(100) == 0) {
            final int levels = 40 + random.nextInt(2_000);
            final boolean arrays = random.nextBoolean();
            for (int i = 0; i < levels; i++) {
                out.append(arrays ? "[" : "{\"a\":");
            }
            scalar();
            for (int i = 0; i < levels; i++) {
                out.append(arrays ? ']' : '}');
            }
            return this;
        }
        final int pick = depth <= 0 ? 0 : random.nextInt(4);
        if (pick == 1) {
            out.append('[');
            final int size = random.nextInt(5);
            for (int i = 0; i < size; i++) {
                out.append(i == 0 ? "" : ",");
                value(depth - 1);
            }
            out.append(']');
        } else if (pick == 2) {
            out.append('{');
            final int size = random.nextInt(5);
            for (int i = 0; i < size; i++) {
                out.append(i == 0 ? "" : ",").append("\"k").append(random.nextInt(3)).append("\":");
                value(depth - 1);
            }
            out.append('}');
        } else {
            scalar();
        }
        return this;
    }
}
