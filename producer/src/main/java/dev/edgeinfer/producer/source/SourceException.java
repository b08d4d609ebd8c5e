package dev.edgeinfer.producer.source;

/** A source as a whole cannot be opened: a missing folder, a missing or truncated data set file, a failed download. */
public final class SourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
