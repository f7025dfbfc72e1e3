package io.monitml.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Structure-aware CloudEvents as Seldon's request logger and other senders post them: structured
 * ({@code application/cloudevents+json}) and batch JSON events and binary-mode header sets, with
 * the Seldon attributes mostly present and now and then missing, blank, null, of the wrong JSON
 * type, duplicated, misnamed (uppercase, empty, non-ASCII) or huge; data as JSON bodies of every
 * protocol ({@link JsonBodies}), as a string, as valid or broken {@code data_base64}, or both.
 */
public final class CloudEvents {

    public static final String[] TYPES = {
        "io.seldon.serving.inference.request", "io.seldon.serving.inference.response", "org.kubeflow.serving.inference.request",
        "org.kubeflow.serving.inference.response", "io.seldon.serving.feedback", "io.seldon.serving.inference.outlier", "",
        " ", "io.seldon.serving.inference.", "IO.SELDON.SERVING.INFERENCE.REQUEST", "\u00e9v\u00e9nement"};
    public static final String[] DATA_CONTENT_TYPES = {
        "application/json", "application/json; charset=utf-8", "application/protobuf", "text/plain", "application/x-protobuf",
        "application/cloudevents+json", "", ";", "application/JSON", "\u00e9/\u00e9"};
    private static final String[] TIMES = {
        "2026-11-26T10:00:00Z", "2020-11-06T09:35:09.171644169Z", "2026-11-26T10:00:00+01:00", "not a time", "",
        "1969-12-31T23:59:59Z", "+1000000000-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2026-13-45T99:99:99Z"};
    private static final String[] ODD_NAMES = {"Type", "REQUESTID", "", "x-y", "\u00e9", "data ", "ce_type", "requestId", "1"};

    private final Random random;

    private CloudEvents(final Random random) {
        this.random = random;
    }

    /** One structured-mode event: a JSON object. */
    public static byte[] structured(final Random random) {
        return Fuzz.utf8(new CloudEvents(random).event());
    }

    /** A batch: a JSON array of zero to a few events, now and then an element that is not an object. */
    public static byte[] batch(final Random random) {
        final CloudEvents events = new CloudEvents(random);
        final StringBuilder out = new StringBuilder("[");
        final int count = random.nextInt(10) == 0 ? random.nextInt(12) : random.nextInt(4);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(random.nextInt(40) == 0 ? JsonBodies.anyValue(random, 2) : events.event());
        }
        return Fuzz.utf8(out.append(']').toString());
    }

    /**
     * A binary-mode header set, as name-value pairs in sending order: {@code Ce-*} attributes in any
     * case, now and then missing, duplicated (in another case), percent-encoded, huge or non-ASCII,
     * among unrelated headers; and a Content-Type, usually.
     */
    public static List<String> binaryHeaders(final Random random) {
        final CloudEvents events = new CloudEvents(random);
        final List<String> headers = new ArrayList<>();
        final String[][] attributes = {
            {"type", TYPES[random.nextInt(TYPES.length)]}, {"requestid", events.requestId()}, {"id", "e" + random.nextInt(100)},
            {"specversion", "1.0"}, {"source", "http://model-logs.seldon:8000/"}, {"time", TIMES[random.nextInt(TIMES.length)]},
            {"inferenceservicename", "dep-" + random.nextInt(3)}, {"namespace", "seldon"}, {"endpoint", "v" + random.nextInt(2)},
            {"modelid", "classifier"}, {"protocol", random.nextBoolean() ? "seldon" : "v2"}};
        for (String[] attribute : attributes) {
            if (random.nextInt(12) == 0) {
                continue;
            }
            headers.add(events.headerCase("ce-" + attribute[0]));
            headers.add(events.headerValue(attribute[1]));
            if (random.nextInt(30) == 0) {
                // The same attribute again, in another case and with another value.
                headers.add(events.headerCase("ce-" + attribute[0]));
                headers.add(events.headerValue(TYPES[random.nextInt(TYPES.length)]));
            }
        }
        if (random.nextInt(10) == 0) {
            headers.add("Ce-" + ODD_NAMES[random.nextInt(ODD_NAMES.length)]);
            headers.add("x");
        }
        if (random.nextInt(10) == 0) {
            headers.add("Ce-Datacontenttype");
            headers.add(DATA_CONTENT_TYPES[random.nextInt(DATA_CONTENT_TYPES.length)]);
        }
        if (random.nextInt(8) != 0) {
            headers.add(events.headerCase("content-type"));
            headers.add(random.nextInt(4) == 0 ? DATA_CONTENT_TYPES[random.nextInt(DATA_CONTENT_TYPES.length)] : "application/json");
        }
        return headers;
    }

    /** A data body for an event: a JSON body of any protocol, usually. */
    public static byte[] data(final Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> JsonBodies.seldon(random);
            case 1 -> JsonBodies.tensorflow(random);
            case 2 -> JsonBodies.openInference(random);
            default -> random.nextBoolean() ? ProtoMessages.seldon(random) : Fuzz.randomBytes(random, 64);
        };
    }

    private String event() {
        final StringBuilder out = new StringBuilder("{");
        final List<String> members = new ArrayList<>();
        attribute(members, "specversion", "\"1.0\"");
        attribute(members, "id", "\"e" + random.nextInt(1000) + "\"");
        attribute(members, "type", quoted(TYPES[random.nextInt(TYPES.length)]));
        attribute(members, "source", "\"http://model-logs.seldon:8000/\"");
        attribute(members, "time", quoted(TIMES[random.nextInt(TIMES.length)]));
        attribute(members, "requestid", quoted(requestId()));
        attribute(members, "inferenceservicename", quoted("dep-" + random.nextInt(3)));
        attribute(members, "namespace", "\"seldon\"");
        attribute(members, "endpoint", quoted("v" + random.nextInt(2)));
        attribute(members, "modelid", "\"classifier\"");
        attribute(members, "protocol", random.nextBoolean() ? "\"seldon\"" : "\"v2\"");
        final String contentType = DATA_CONTENT_TYPES[random.nextInt(DATA_CONTENT_TYPES.length)];
        if (random.nextInt(3) != 0) {
            attribute(members, "datacontenttype", quoted(contentType));
        }
        switch (random.nextInt(8)) {
            case 0 -> members.add("\"data_base64\":\"" + Base64.getEncoder().encodeToString(data(random)) + "\"");
            case 1 -> members.add("\"data_base64\":" + (random.nextBoolean() ? "\"!!not base64\"" : JsonBodies.anyValue(random, 1)));
            case 2 -> members.add("\"data\":" + quoted(new String(data(random), StandardCharsets.UTF_8)));
            case 3 -> {
                // Both, or data of any JSON type.
                members.add("\"data\":" + JsonBodies.anyValue(random, 3));
                if (random.nextBoolean()) {
                    members.add("\"data_base64\":\"AAEC\"");
                }
            }
            case 4 -> {
            }
            default -> members.add("\"data\":" + new String(jsonData(), StandardCharsets.UTF_8));
        }
        if (random.nextInt(15) == 0) {
            members.add(quoted(ODD_NAMES[random.nextInt(ODD_NAMES.length)]) + ":\"x\"");
        }
        if (random.nextInt(20) == 0) {
            members.add(random.nextInt(members.size() + 1), members.isEmpty() ? "\"type\":\"x\"" : members.get(random.nextInt(members.size())));
        }
        java.util.Collections.shuffle(members, random);
        out.append(String.join(",", members));
        return out.append('}').toString();
    }

    private byte[] jsonData() {
        return switch (random.nextInt(3)) {
            case 0 -> JsonBodies.seldon(random);
            case 1 -> JsonBodies.tensorflow(random);
            default -> JsonBodies.openInference(random);
        };
    }

    /** Adds the attribute usually as given, now and then absent, null, blank, of another JSON type or huge. */
    private void attribute(final List<String> members, final String name, final String value) {
        final String written = switch (random.nextInt(50)) {
            case 0 -> null;
            case 1 -> "null";
            case 2 -> "\"\"";
            case 3 -> random.nextBoolean() ? "42" : "true";
            case 4 -> random.nextBoolean() ? "[\"a\"]" : "{\"a\":1}";
            case 5 -> random.nextInt(4) == 0 ? quoted("x".repeat(random.nextInt(20_000))) : value;
            default -> value;
        };
        if (written != null) {
            members.add("\"" + name + "\":" + written);
        }
    }

    private String requestId() {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "   ";
            case 2 -> "\u00e9\ud83d\ude00";
            case 3 -> "r" + "0".repeat(random.nextInt(random.nextInt(10) == 0 ? 5_000 : 100));
            default -> "r" + random.nextInt(500);
        };
    }

    private String headerCase(final String name) {
        return switch (random.nextInt(4)) {
            case 0 -> name.toUpperCase(java.util.Locale.ROOT);
            case 1 -> name;
            default -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
        };
    }

    /** The value as a header carries it: usually as is, now and then percent-encoded, huge or non-ASCII. */
    private String headerValue(final String value) {
        return switch (random.nextInt(25)) {
            case 0 -> "%" + Integer.toHexString(random.nextInt(256)) + value;
            case 1 -> value + "%";
            case 2 -> "%C3%A9" + value;
            case 3 -> value + "\u00e9\u00ff";
            case 4 -> value + "x".repeat(random.nextInt(4_000));
            case 5 -> "";
            default -> value;
        };
    }

    private static String quoted(final String text) {
        final StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
