package io.monitml.ingest;

import java.util.Objects;

import io.monitml.avro.ModelUnit;
import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * The identity of a monitored unit: (namespace, deployment, variant, model). Its {@link #key()}
 * is the Kafka key of every per-unit topic and store, so the unit's data stays on one partition.
 *
 * <p>Every part is checked when a unit is made, so that no sender can name a unit whose key does
 * not read back ({@code /} is the key's separator), whose metric labels or log lines carry control
 * characters, or whose names grow without bound: a part holds at most {@value #MAX_PART_LENGTH}
 * characters (a Kubernetes object name's limit), no {@code /} and no control character. A part
 * that breaks these rules is refused as {@value #BAD_IDENTITY} (a 400 at the ingest endpoint, a
 * dead letter from Kafka, a 400 in the query API).
 */
public record Unit(String namespace, String deployment, String variant, String model) {

    /** The longest part: Kubernetes' limit for the names of most objects (a DNS subdomain). */
    public static final int MAX_PART_LENGTH = 253;
    /** The reason code of a refused identity. */
    public static final String BAD_IDENTITY = "bad-identity";

    private static final char SEPARATOR = '/';

    public Unit {
        check("namespace", namespace);
        check("deployment", deployment);
        check("variant", variant);
        check("model", model);
    }

    /** @throws InvalidRecordException {@value #BAD_IDENTITY} when the part cannot name a unit */
    static void check(final String part, final String value) {
        Objects.requireNonNull(value, part);
        final String problem = problem(part, value);
        if (problem != null) {
            throw new InvalidRecordException(BAD_IDENTITY, problem);
        }
    }

    /**
     * Why {@code value} cannot be the unit's {@code part} (namespace, deployment, variant, model),
     * or null when it can; null values are for the caller to default.
     */
    public static String problem(final String part, final String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_PART_LENGTH) {
            return "The unit's " + part + " is " + value.length() + " characters long; at most " + MAX_PART_LENGTH + " are allowed";
        }
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == SEPARATOR || Character.isISOControl(c)) {
                return "The unit's " + part + " \"" + printable(value) + "\" contains "
                    + (c == SEPARATOR ? "'/'" : String.format("the control character U+%04X", (int) c))
                    + "; a unit's namespace, deployment, variant and model cannot";
            }
        }
        return null;
    }

    /** The value with control characters shown as escapes, for a message. */
    private static String printable(final String value) {
        final StringBuilder out = new StringBuilder(value.length());
        value.chars().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    /** {@code namespace/deployment/variant/model}: Kubernetes names cannot contain '/', so it is unambiguous. */
    public String key() {
        return namespace + SEPARATOR + deployment + SEPARATOR + variant + SEPARATOR + model;
    }

    public static Unit fromKey(final String key) {
        final String[] parts = key.split(String.valueOf(SEPARATOR), -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("Not a unit key (namespace/deployment/variant/model): " + key);
        }
        return new Unit(parts[0], parts[1], parts[2], parts[3]);
    }

    public ModelUnit toAvro() {
        return new ModelUnit(namespace, deployment, variant, model);
    }

    public static Unit fromAvro(final ModelUnit unit) {
        return new Unit(unit.getNamespace(), unit.getDeployment(), unit.getVariant(), unit.getModel());
    }

    @Override
    public String toString() {
        return key();
    }
}
