package dev.edgeinfer.local;

/** The local stack, or one of its parts, could not be started or stopped; the message says which and why. */
public class LocalStackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
