package io.monitml.ingest;

import java.util.Objects;

import io.monitml.avro.ModelUnit;

/**
 * The identity of a monitored unit: (namespace, deployment, variant, model). Its {@link #key()}
 * is the Kafka key of every per-unit topic and store, so the unit's data stays on one partition.
 */
public record Unit(String namespace, String deployment, String variant, String model) {

    private static final char SEPARATOR = '/';

    public Unit {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(model, "model");
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
