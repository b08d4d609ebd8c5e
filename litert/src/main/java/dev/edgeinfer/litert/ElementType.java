package dev.edgeinfer.litert;

/**
 * {@code LiteRtElementType} of {@code litert/c/litert_model_types.h}: the element type of a tensor. The values are
 * those of TensorFlow Lite's {@code TfLiteType}, which LiteRT keeps.
 */
public enum ElementType {
    NONE(0, 0),
    FLOAT32(1, 32),
    INT32(2, 32),
    UINT8(3, 8),
    INT64(4, 64),
    TF_STRING(5, 0),
    BOOL(6, 8),
    INT16(7, 16),
    COMPLEX64(8, 64),
    INT8(9, 8),
    FLOAT16(10, 16),
    FLOAT64(11, 64),
    COMPLEX128(12, 128),
    UINT64(13, 64),
    TF_RESOURCE(14, 0),
    TF_VARIANT(15, 0),
    UINT32(16, 32),
    UINT16(17, 16),
    INT4(18, 4),
    BFLOAT16(19, 16),
    INT2(20, 2),
    UINT4(21, 4),
    FLOAT8_E4M3FN(22, 8),
    FLOAT8_E5M2(23, 8),
    /** A code outside the pinned header. */
    UNRECOGNIZED(Integer.MIN_VALUE, 0);

    private final int code;
    private final int bits;

    ElementType(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    /** @return the C enum value */
    public int code() {
        return code;
    }

    /** @return bits per element; 0 for types without a fixed size */
    public int bits() {
        return bits;
    }

    /**
     * @param code a {@code LiteRtElementType} value
     * @return the matching type, or {@link #UNRECOGNIZED}
     */
    public static ElementType fromCode(int code) {
        for (ElementType type : values()) {
            if (type.code == code && type != UNRECOGNIZED) {
                return type;
            }
        }
        return UNRECOGNIZED;
    }
}
