package dev.edgeinfer.openvino;

/**
 * The C API's {@code ov_element_type_e} as the pinned release (2026.4) defines it. The codes were read from
 * the loaded library itself, through a model with one parameter per element type whose types the library
 * reports back (the test {@code elementTypeCodesMatchTheLoadedLibrary} keeps checking it): in this release
 * {@code UNDEFINED} is gone and every later value moved down by one from the 2024-2025 headers (U8 is 16, not
 * 17; F32 is 4, not 5). Because the values move between releases, the loader refuses other versions.
 */
public enum ElementType {
    DYNAMIC(0, 0, "dynamic"),
    BOOLEAN(1, 8, "boolean"),
    BF16(2, 16, "bf16"),
    F16(3, 16, "f16"),
    F32(4, 32, "f32"),
    F64(5, 64, "f64"),
    I4(6, 4, "i4"),
    I8(7, 8, "i8"),
    I16(8, 16, "i16"),
    I32(9, 32, "i32"),
    I64(10, 64, "i64"),
    U1(11, 1, "u1"),
    U2(12, 2, "u2"),
    U3(13, 3, "u3"),
    U4(14, 4, "u4"),
    U6(15, 6, "u6"),
    U8(16, 8, "u8"),
    U16(17, 16, "u16"),
    U32(18, 32, "u32"),
    U64(19, 64, "u64"),
    NF4(20, 4, "nf4"),
    F8E4M3(21, 8, "f8e4m3"),
    F8E5M2(22, 8, "f8e5m2"),
    STRING(23, 0, "string"),
    F4E2M1(24, 4, "f4e2m1"),
    F8E8M0(25, 8, "f8e8m0");

    private final int code;
    private final int bits;
    private final String typeName;

    ElementType(int code, int bits, String typeName) {
        this.code = code;
        this.bits = bits;
        this.typeName = typeName;
    }

    /** @return the value of this type in {@code ov_element_type_e} */
    public int code() {
        return code;
    }

    /** @return bits per element; 0 for types without a fixed width */
    public int bits() {
        return bits;
    }

    /** @return OpenVINO's own short name, as used in IR files and manifests ({@code u8}, {@code f32}, ...) */
    public String typeName() {
        return typeName;
    }

    /**
     * @param code a value of {@code ov_element_type_e}
     * @return the matching type
     * @throws IllegalArgumentException if the pinned header has no such value
     */
    public static ElementType fromCode(int code) {
        for (ElementType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("ov_element_type_e value " + code + " is not in the pinned header");
    }

    /**
     * @param typeName OpenVINO's short name, e.g. {@code u8}
     * @return the matching type
     * @throws IllegalArgumentException if no type has that name
     */
    public static ElementType fromName(String typeName) {
        for (ElementType type : values()) {
            if (type.typeName.equals(typeName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown element type '" + typeName + "'");
    }
}
