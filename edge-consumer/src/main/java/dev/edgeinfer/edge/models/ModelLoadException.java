package dev.edgeinfer.edge.models;

/** An assigned model that the device cannot download, verify or load; the message says which and why. */
public final class ModelLoadException extends Exception {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
