package dev.edgeinfer.schemas.manifest;

/** The element type of a model input or output, in OpenVINO's spelling. */
public enum ElementType implements ManifestValue {
    /** Unsigned 8-bit integers: raw pixels. */
    U8,
    /** 32-bit floats. */
    F32;

    /** @return {@link #manifestName()}, so that messages spell the value as the manifest does */
    @Override
    public String toString() {
        return manifestName();
    }
}
