package io.monitml.embedded;

/** An error answer of the embedded registry, in Confluent's status and error_code vocabulary. */
final class RegistryError extends RuntimeException {

    static final int SUBJECT_NOT_FOUND = 40401;
    static final int VERSION_NOT_FOUND = 40402;
    static final int SCHEMA_NOT_FOUND = 40403;
    static final int INVALID_SCHEMA = 42201;
    static final int INVALID_VERSION = 42202;

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    RegistryError(final int status, final int errorCode, final String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    static RegistryError subjectNotFound(final String subject) {
        return new RegistryError(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(final String subject, final String version) {
        return new RegistryError(404, VERSION_NOT_FOUND,
                "Version " + version + " not found for subject '" + subject + "'.");
    }

    static RegistryError schemaNotFound(final String what) {
        return new RegistryError(404, SCHEMA_NOT_FOUND, what);
    }

    static RegistryError invalidSchema(final String message) {
        return new RegistryError(422, INVALID_SCHEMA, "Invalid schema: " + message);
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }
}
