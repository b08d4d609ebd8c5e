package dev.edgeinfer.producer;

/**
 * Publishing cannot go on: Kafka refused the producer (authorization, fencing, an unsupported broker), the registry
 * refused the frame schema, or a bad image was met under {@code --strict}. The message names the frame or file.
 */
public final class PublishException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
