package dev.edgeinfer.openvino;

/**
 * The C API's {@code ov_status_e}: what every {@code ov_*} function returns. Values are those of the pinned
 * OpenVINO release's {@code ov_common.h}; a code this enum does not know maps to {@link #UNRECOGNIZED}.
 */
public enum OpenVinoStatus {
    OK(0),
    GENERAL_ERROR(-1),
    NOT_IMPLEMENTED(-2),
    NETWORK_NOT_LOADED(-3),
    PARAMETER_MISMATCH(-4),
    NOT_FOUND(-5),
    OUT_OF_BOUNDS(-6),
    UNEXPECTED(-7),
    REQUEST_BUSY(-8),
    RESULT_NOT_READY(-9),
    NOT_ALLOCATED(-10),
    INFER_NOT_STARTED(-11),
    NETWORK_NOT_READ(-12),
    INFER_CANCELLED(-13),
    INVALID_C_PARAM(-14),
    UNKNOWN_C_ERROR(-15),
    NOT_IMPLEMENT_C_METHOD(-16),
    UNKNOWN_EXCEPTION(-17),
    /** A code outside the pinned header: the loaded library is not the version this binding was written for. */
    UNRECOGNIZED(Integer.MIN_VALUE);

    private final int code;

    OpenVinoStatus(int code) {
        this.code = code;
    }

    /** @return the numeric value of this status in {@code ov_status_e} */
    public int code() {
        return code;
    }

    /**
     * @param code a value returned by a C API function
     * @return the matching status, or {@link #UNRECOGNIZED}
     */
    public static OpenVinoStatus fromCode(int code) {
        for (OpenVinoStatus status : values()) {
            if (status.code == code && status != UNRECOGNIZED) {
                return status;
            }
        }
        return UNRECOGNIZED;
    }
}
