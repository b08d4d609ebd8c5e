package dev.edgeinfer.edge.consumer;

/** A flush that failed for a reason a later attempt may not have, such as an unreachable registry: rewound and retried. */
final class RetryableFlushException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RetryableFlushException(String message, Throwable cause) {
        super(message, cause);
    }
}
