package dev.edgeinfer.edge.consumer;

/**
 * A record the device cannot write however often it tries: larger than the producer or the topic accepts, or not
 * serializable. It is the record's failure, not the device's: its frame is dead-lettered with this reason.
 */
final class UnwritableOutputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnwritableOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
