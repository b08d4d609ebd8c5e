package dev.edgeinfer.schemas.manifest;

/** The model manifest is missing, malformed, invalid, or does not match the files on disk. */
public final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    ManifestException(String message) {
        super(message);
    }

    ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
