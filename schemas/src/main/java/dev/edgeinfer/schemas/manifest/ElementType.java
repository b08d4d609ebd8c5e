package dev.edgeinfer.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonValue;

/** The element type of a model input or output, in OpenVINO's spelling. */
public enum ElementType implements ManifestValue {
    /** Unsigned 8-bit integers: raw pixels. */
    U8("u8"),
    /** 32-bit floats. */
    F32("f32");

    private final String manifestName;

    ElementType(String manifestName) {
        this.manifestName = manifestName;
    }

    /** @return the name in the manifest, e.g. {@code u8} */
    @JsonValue
    @Override
    public String manifestName() {
        return manifestName;
    }

    /** @return {@link #manifestName()}, so that messages spell the value as the manifest does */
    @Override
    public String toString() {
        return manifestName;
    }
}
