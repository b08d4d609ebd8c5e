package dev.edgeinfer.schemas.registry;

/**
 * An error answered by a schema registry, or the failure to reach one.
 *
 * <p>Subclasses stand for the Confluent error codes callers act on; anything else arrives as this class with the
 * HTTP status and the registry's own error code and message.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** HTTP status when the registry answered; -1 when it could not be reached. */
    private final int httpStatus;
    /** Confluent error code from the response body (e.g. 40401); -1 when absent. */
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** Builds the exception type that stands for the given Confluent error code. */
    static SchemaRegistryException fromResponse(String request, int httpStatus, int errorCode, String registryMessage) {
        String message = request + " failed: HTTP " + httpStatus
                + (errorCode > 0 ? " error_code " + errorCode : "") + ": " + registryMessage;
        if (errorCode == 40401) {
            return new SubjectNotFoundException(message, httpStatus, errorCode);
        }
        if (errorCode == 40402) {
            return new VersionNotFoundException(message, httpStatus, errorCode);
        }
        if (errorCode == 40403) {
            return new SchemaNotFoundException(message, httpStatus, errorCode);
        }
        if (httpStatus == 409 || errorCode == 409) {
            return new IncompatibleSchemaException(message, httpStatus, errorCode);
        }
        if (errorCode == 42201) {
            return new InvalidSchemaException(message, httpStatus, errorCode);
        }
        return new SchemaRegistryException(message, httpStatus, errorCode, null);
    }

    /** 40401: the subject does not exist. */
    public static final class SubjectNotFoundException extends SchemaRegistryException {
        private static final long serialVersionUID = 1L;

        SubjectNotFoundException(String message, int httpStatus, int errorCode) {
            super(message, httpStatus, errorCode, null);
        }
    }

    /** 40402: the subject exists but not that version. */
    public static final class VersionNotFoundException extends SchemaRegistryException {
        private static final long serialVersionUID = 1L;

        VersionNotFoundException(String message, int httpStatus, int errorCode) {
            super(message, httpStatus, errorCode, null);
        }
    }

    /** 40403: no schema with that id, or the schema is not registered under the subject. */
    public static final class SchemaNotFoundException extends SchemaRegistryException {
        private static final long serialVersionUID = 1L;

        SchemaNotFoundException(String message, int httpStatus, int errorCode) {
            super(message, httpStatus, errorCode, null);
        }
    }

    /** 409: the schema breaks the subject's compatibility rule. */
    public static final class IncompatibleSchemaException extends SchemaRegistryException {
        private static final long serialVersionUID = 1L;

        IncompatibleSchemaException(String message, int httpStatus, int errorCode) {
            super(message, httpStatus, errorCode, null);
        }
    }

    /** 42201: the registry could not parse the schema. */
    public static final class InvalidSchemaException extends SchemaRegistryException {
        private static final long serialVersionUID = 1L;

        InvalidSchemaException(String message, int httpStatus, int errorCode) {
            super(message, httpStatus, errorCode, null);
        }
    }

    /** The registry could not be reached (connection refused, timeout, TLS failure). Retrying may help. */
    public static final class RegistryUnavailableException extends SchemaRegistryException {
        private static final long serialVersionUID = 1L;

        public RegistryUnavailableException(String message, Throwable cause) {
            super(message, -1, -1, cause);
        }
    }
}
