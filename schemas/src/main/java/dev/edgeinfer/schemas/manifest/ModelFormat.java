package dev.edgeinfer.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonValue;

/** The file format of an artifact. */
public enum ModelFormat implements ManifestValue {
    /** OpenVINO's intermediate representation: {@code model.xml}, then {@code model.bin}. */
    OPENVINO_IR("openvino-ir"),
    /** An ONNX file. */
    ONNX("onnx");

    private final String manifestName;

    ModelFormat(String manifestName) {
        this.manifestName = manifestName;
    }

    /** @return the name in the manifest, e.g. {@code openvino-ir} */
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
