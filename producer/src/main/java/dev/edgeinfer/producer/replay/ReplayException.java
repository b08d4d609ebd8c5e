package dev.edgeinfer.producer.replay;

/** A replay that stopped: the message says which dead letters were sent and which batch was not. */
public final class ReplayException extends RuntimeException {

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
