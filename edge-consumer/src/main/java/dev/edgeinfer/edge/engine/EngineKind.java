package dev.edgeinfer.edge.engine;

import java.util.Locale;

/** The runtime an engine is built on; the config value is the lower-case name. */
public enum EngineKind {
    /** OpenVINO through the project's JNA binding: CPU, GPU, NPU or AUTO. */
    OPENVINO,
    /** ONNX Runtime: the CPU execution provider, or CUDA where a GPU build is present. */
    ONNXRUNTIME,
    /** LiteRT through the project's JNA binding: the CPU (XNNPACK), or a GPU where LiteRT has an accelerator for it. */
    LITERT;

    /** @return the name used in configuration and manifests */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value {@code openvino}, {@code onnxruntime} or {@code litert}, any case
     * @return the kind
     * @throws IllegalArgumentException for any other value
     */
    public static EngineKind fromConfig(String value) {
        for (EngineKind kind : values()) {
            if (kind.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("engine must be openvino, onnxruntime or litert, is '" + value + "'");
    }
}
