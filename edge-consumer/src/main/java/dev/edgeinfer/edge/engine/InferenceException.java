package dev.edgeinfer.edge.engine;

/** An engine could not be opened or could not classify a batch; the runtime's own error is the cause. */
public final class InferenceException extends Exception {
    private static final long serialVersionUID = 1L;

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
