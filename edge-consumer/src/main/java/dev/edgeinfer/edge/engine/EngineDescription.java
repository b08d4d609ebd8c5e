package dev.edgeinfer.edge.engine;

import java.util.Map;

/**
 * What an engine runs, for logs, heartbeats and prediction records.
 *
 * @param engine         {@code openvino}, {@code onnxruntime} or {@code litert}
 * @param runtimeVersion the runtime library's version
 * @param device         the accelerator as configured ({@code CPU}, {@code GPU}, {@code AUTO}, {@code CUDA}...)
 * @param deviceFullName the accelerator's full name (OpenVINO {@code FULL_DEVICE_NAME}), the execution provider,
 *                       or LiteRT's accelerators
 * @param modelName      the manifest's model name
 * @param modelVersion   the manifest's model version
 * @param artifactId     the artifact loaded, e.g. {@code openvino-int8}
 * @param precision      {@code FP32}, {@code FP16} or {@code INT8}
 * @param sha256         sha256 of the model file, verified at load
 * @param settings       the runtime settings in effect (hint, streams, requests in flight, ...)
 */
public record EngineDescription(String engine, String runtimeVersion, String device, String deviceFullName,
                                String modelName, String modelVersion, String artifactId, String precision,
                                String sha256, Map<String, String> settings) {
    public EngineDescription {
        settings = Map.copyOf(settings);
    }
}
