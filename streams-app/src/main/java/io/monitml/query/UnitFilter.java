package io.monitml.query;

import java.util.Map;

import io.monitml.ingest.Unit;

/** The units a listing asks for: those of the namespace, deployment, variant and model given (each may be left out). */
record UnitFilter(String namespace, String deployment, String variant, String model) {

    static UnitFilter of(final Map<String, String> query) {
        return new UnitFilter(query.get("namespace"), query.get("deployment"), query.get("variant"), query.get("model"));
    }

    boolean matches(final Unit unit) {
        return matches(namespace, unit.namespace()) && matches(deployment, unit.deployment()) && matches(variant, unit.variant())
            && matches(model, unit.model());
    }

    private static boolean matches(final String wanted, final String actual) {
        return wanted == null || wanted.isEmpty() || wanted.equals(actual);
    }
}
