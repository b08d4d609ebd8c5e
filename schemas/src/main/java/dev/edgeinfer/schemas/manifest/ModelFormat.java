package dev.edgeinfer.schemas.manifest;

/** The file format of an artifact. */
public enum ModelFormat implements ManifestValue {
    /** OpenVINO's intermediate representation: {@code model.xml}, then {@code model.bin}. */
    OPENVINO_IR,
    /** An ONNX file. */
    ONNX,
    /** A LiteRT (TensorFlow Lite) flatbuffer: one {@code .tflite} file. */
    TFLITE;

    /** @return {@link #manifestName()}, so that messages spell the value as the manifest does */
    @Override
    public String toString() {
        return manifestName();
    }
}
