package dev.edgeinfer.schemas.manifest;

/** The inference runtime an artifact is made for. */
public enum TargetRuntime implements ManifestValue {
    /** OpenVINO. */
    OPENVINO,
    /** ONNX Runtime. */
    ONNXRUNTIME,
    /** LiteRT, Google's runtime for TensorFlow Lite models. */
    LITERT;

    /** @return {@link #manifestName()}, so that messages spell the value as the manifest does */
    @Override
    public String toString() {
        return manifestName();
    }
}
