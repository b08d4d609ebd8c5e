package dev.edgeinfer.litert;

/**
 * How a tensor's integers map to real numbers ({@code LiteRtQuantizationTypeId} and, per tensor,
 * {@code LiteRtQuantizationPerTensor}): {@code real = (q - zeroPoint) * scale}.
 *
 * @param kind      the quantization kind
 * @param scale     the scale, for {@link Kind#PER_TENSOR}; 0 otherwise
 * @param zeroPoint the integer that real 0 maps to, for {@link Kind#PER_TENSOR}; 0 otherwise
 */
public record Quantization(Kind kind, float scale, long zeroPoint) {
    /** A tensor without quantization. */
    public static final Quantization NONE = new Quantization(Kind.NONE, 0f, 0L);

    /** {@code LiteRtQuantizationTypeId}. */
    public enum Kind {
        NONE,
        PER_TENSOR,
        PER_CHANNEL,
        BLOCK_WISE,
        /** A value outside the pinned header. */
        UNRECOGNIZED;

        static Kind fromCode(int code) {
            return code >= 0 && code < UNRECOGNIZED.ordinal() ? values()[code] : UNRECOGNIZED;
        }
    }

    /** @return whether one scale and zero point cover the whole tensor */
    public boolean isPerTensor() {
        return kind == Kind.PER_TENSOR;
    }

    /**
     * @param quantized a quantized value, already widened from the tensor's element type
     * @return its real value; only meaningful {@link #isPerTensor() per tensor}
     */
    public float dequantize(int quantized) {
        return (quantized - zeroPoint) * scale;
    }
}
