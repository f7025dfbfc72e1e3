package io.monitml.serde;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro instantiate the project's generated classes. Avro 1.12 refuses classes outside
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES}, and that property is read once when Avro's
 * classes load, so setting it from code is unreliable; the validator's global predicate is not.
 */
final class AvroTrust {

    static final String GENERATED_PACKAGE = "io.monitml.avro.";

    private static boolean installed;

    private AvroTrust() {
    }

    /** Adds trust in the generated package to whatever policy is in place; idempotent. */
    static synchronized void trustGeneratedClasses() {
        if (installed) {
            return;
        }
        final ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                previous, type -> type.getName().startsWith(GENERATED_PACKAGE)));
        installed = true;
    }
}
