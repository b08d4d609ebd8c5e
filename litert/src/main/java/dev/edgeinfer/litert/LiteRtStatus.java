package dev.edgeinfer.litert;

/**
 * The C API's {@code LiteRtStatus}: what every {@code LiteRt*} function returns. Values are those of
 * {@code litert/c/litert_common.h} for the pinned release; a code this enum does not know maps to
 * {@link #UNRECOGNIZED}.
 */
public enum LiteRtStatus {
    OK(0),
    INVALID_ARGUMENT(1),
    MEMORY_ALLOCATION_FAILURE(2),
    RUNTIME_FAILURE(3),
    MISSING_INPUT_TENSOR(4),
    UNSUPPORTED(5),
    NOT_FOUND(6),
    TIMEOUT_EXPIRED(7),
    WRONG_VERSION(8),
    UNKNOWN(9),
    ALREADY_EXISTS(10),
    CANCELLED(100),
    /** A file could not be read, or (in 2.3.0) was not a {@code .tflite} flatbuffer at all. */
    FILE_IO(500),
    INVALID_FLATBUFFER(501),
    DYNAMIC_LOADING(502),
    SERIALIZATION(503),
    COMPILATION(504),
    INDEX_OUT_OF_BOUNDS(1000),
    INVALID_IR_TYPE(1001),
    INVALID_GRAPH_INVARIANT(1002),
    GRAPH_MODIFICATION(1003),
    INVALID_TOOL_CONFIG(1500),
    LEGALIZE_NO_MATCH(2000),
    INVALID_LEGALIZATION(2001),
    PATTERN_NO_MATCH(3000),
    INVALID_TRANSFORMATION(3001),
    UNSUPPORTED_RUNTIME_VERSION(4000),
    UNSUPPORTED_COMPILER_VERSION(4001),
    INCOMPATIBLE_BYTE_CODE_VERSION(4002),
    UNSUPPORTED_OP_SHAPE_INFERER(5000),
    SHAPE_INFERENCE_FAILED(5001),
    /** A code outside the pinned header: the loaded library is not the version this binding was written for. */
    UNRECOGNIZED(Integer.MIN_VALUE);

    private final int code;

    LiteRtStatus(int code) {
        this.code = code;
    }

    /** @return the numeric value of this status in {@code LiteRtStatus} */
    public int code() {
        return code;
    }

    /**
     * @param code a value returned by a C API function
     * @return the matching status, or {@link #UNRECOGNIZED}
     */
    public static LiteRtStatus fromCode(int code) {
        for (LiteRtStatus status : values()) {
            if (status.code == code && status != UNRECOGNIZED) {
                return status;
            }
        }
        return UNRECOGNIZED;
    }
}
