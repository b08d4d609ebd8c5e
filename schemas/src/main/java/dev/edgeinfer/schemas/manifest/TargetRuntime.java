package dev.edgeinfer.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonValue;

/** The inference runtime an artifact is made for. */
public enum TargetRuntime implements ManifestValue {
    /** OpenVINO. */
    OPENVINO("openvino"),
    /** ONNX Runtime. */
    ONNXRUNTIME("onnxruntime");

    private final String manifestName;

    TargetRuntime(String manifestName) {
        this.manifestName = manifestName;
    }

    /** @return the name in the manifest, e.g. {@code onnxruntime}; the same as the edge consumer's engine name */
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
