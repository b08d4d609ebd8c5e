package dev.edgeinfer.producer.fleet;

/**
 * A simulation cannot go on: Kafka refused the simulator (authorization, an unsupported broker, a missing topic) or
 * the registry refused a schema. The message names the record and the topic.
 */
public final class FleetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with its context in the message and the error that caused it. */
    public FleetException(String message, Throwable cause) {
        super(message, cause);
    }
}
