package dev.edgeinfer.schemas.manifest;

/** The numeric precision an artifact was exported at. */
public enum Precision implements ManifestValue.UpperCase {
    /** 32-bit float weights and activations. */
    FP32,
    /** 16-bit float weights. */
    FP16,
    /** 8-bit integer quantization. */
    INT8;
}
