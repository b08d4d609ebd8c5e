package dev.edgeinfer.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonValue;

/** The numeric precision an artifact was exported at. */
public enum Precision implements ManifestValue {
    /** 32-bit float weights and activations. */
    FP32,
    /** 16-bit float weights. */
    FP16,
    /** 8-bit integer quantization. */
    INT8;

    /** @return the name in the manifest, e.g. {@code FP32} */
    @JsonValue
    @Override
    public String manifestName() {
        return name();
    }
}
