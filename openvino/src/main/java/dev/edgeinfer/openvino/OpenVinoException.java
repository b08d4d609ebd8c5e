package dev.edgeinfer.openvino;

/**
 * A C API call returned a status other than {@code OK}. Carries the status and the library's own error text
 * ({@code ov_get_last_err_msg}), captured right after the failing call.
 */
public final class OpenVinoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final OpenVinoStatus status;
    private final int statusCode;
    private final String nativeMessage;

    OpenVinoException(String function, int statusCode, String nativeMessage) {
        super(function + " failed with " + OpenVinoStatus.fromCode(statusCode) + " (" + statusCode + "): "
                + nativeMessage);
        this.status = OpenVinoStatus.fromCode(statusCode);
        this.statusCode = statusCode;
        this.nativeMessage = nativeMessage;
    }

    /** @return the status the C function returned */
    public OpenVinoStatus status() {
        return status;
    }

    /** @return the raw {@code ov_status_e} value, useful when {@link #status()} is {@code UNRECOGNIZED} */
    public int statusCode() {
        return statusCode;
    }

    /** @return the library's error text for the failed call, or its generic text for the status */
    public String nativeMessage() {
        return nativeMessage;
    }
}
