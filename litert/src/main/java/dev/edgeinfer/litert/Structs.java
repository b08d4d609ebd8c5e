package dev.edgeinfer.litert;

import com.sun.jna.Structure;

/**
 * The C API's plain structs, laid out as {@code litert/c/litert_layout.h}, {@code litert_model_types.h} and
 * {@code litert_environment_options.h} declare them for LP64 (linux x86-64 and aarch64); the sizes the headers
 * assert are checked by the tests. Public only for JNA's reflection.
 */
final class Structs {
    /** {@code LITERT_TENSOR_MAX_RANK}. */
    static final int MAX_RANK = 8;

    private Structs() {
    }

    /**
     * {@code LiteRtLayout}, 68 bytes: the bit-field {@code unsigned rank:7, has_strides:1} in one {@code uint32}, then
     * {@code int32 dimensions[8]} (-1 where dynamic) and {@code uint32 strides[8]}.
     */
    @Structure.FieldOrder({"bits", "dimensions", "strides"})
    public static class Layout extends Structure {
        public int bits;
        public int[] dimensions = new int[MAX_RANK];
        public int[] strides = new int[MAX_RANK];

        int rank() {
            return bits & 0x7F;
        }
    }

    /** {@code LiteRtRankedTensorType}, 72 bytes: {@code LiteRtElementType}, then the layout at offset 4. */
    @Structure.FieldOrder({"elementType", "layout"})
    public static class RankedTensorType extends Structure {
        public int elementType;
        public Layout layout = new Layout();
    }

    /** {@code LiteRtQuantizationPerTensor}, 16 bytes: {@code float scale}, {@code int64 zero_point} at offset 8. */
    @Structure.FieldOrder({"scale", "zeroPoint"})
    public static class QuantizationPerTensor extends Structure {
        public float scale;
        public long zeroPoint;
    }

    /** {@code LiteRtAny}, 16 bytes: {@code LiteRtAnyType}, then the value's union (int64, double or pointer) at 8. */
    @Structure.FieldOrder({"type", "value"})
    public static class Any extends Structure {
        /** {@code kLiteRtAnyTypeInt}. */
        static final int INT = 2;
        /** {@code kLiteRtAnyTypeString}: {@link #value} is the address of a NUL-terminated string. */
        static final int STRING = 8;

        public int type;
        public long value;
    }

    /** {@code LiteRtEnvOption}, 24 bytes: {@code LiteRtEnvOptionTag}, then a {@code LiteRtAny} at offset 8. */
    @Structure.FieldOrder({"tag", "value"})
    public static class EnvOption extends Structure {
        /** {@code kLiteRtEnvOptionTagRuntimeLibraryDir}: where accelerator libraries are looked for. */
        static final int RUNTIME_LIBRARY_DIR = 22;
        /** {@code kLiteRtEnvOptionTagAutoRegisterAccelerators}: a {@code LiteRtHwAcceleratorSet}. */
        static final int AUTO_REGISTER_ACCELERATORS = 24;
        /** {@code kLiteRtEnvOptionTagMinLoggerSeverity}: a {@code LiteRtLogSeverity}. */
        static final int MIN_LOGGER_SEVERITY = 25;

        public int tag;
        public Any value = new Any();
    }
}
