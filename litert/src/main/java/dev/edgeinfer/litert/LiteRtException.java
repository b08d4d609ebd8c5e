package dev.edgeinfer.litert;

/**
 * A C API call returned a status other than {@code kLiteRtStatusOk}. Carries the function and the status. The
 * pinned library exports no function that returns error text ({@code LiteRtGetStatusString} is declared in the
 * headers but not exported): LiteRT writes its own explanation to the process's standard error, at log severity
 * error, just before it returns the status.
 */
public final class LiteRtException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final LiteRtStatus status;
    private final int statusCode;

    LiteRtException(String function, int statusCode) {
        super(function + " failed with " + LiteRtStatus.fromCode(statusCode) + " (" + statusCode
                + "); LiteRT's own error text, if any, is on standard error");
        this.function = function;
        this.status = LiteRtStatus.fromCode(statusCode);
        this.statusCode = statusCode;
    }

    /** @return the C function that failed, with the arguments that tell the failure apart (a file, an index) */
    public String function() {
        return function;
    }

    /** @return the status the C function returned */
    public LiteRtStatus status() {
        return status;
    }

    /** @return the raw {@code LiteRtStatus} value, useful when {@link #status()} is {@code UNRECOGNIZED} */
    public int statusCode() {
        return statusCode;
    }
}
