package dev.edgeinfer.schemas.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One exported form of the model. An enum field is {@code null} only in a manifest that fails validation.
 *
 * @param id            e.g. {@code openvino-int8}
 * @param format        {@code openvino-ir}, {@code onnx} or {@code tflite}
 * @param precision     {@code FP32}, {@code FP16} or {@code INT8}
 * @param runtime       {@code openvino}, {@code onnxruntime} or {@code litert}
 * @param files         the files, the model file first; paths relative to the models folder
 * @param sha256        sha256 of the first file
 * @param evaluation    accuracy measured by the model pipeline, if any
 * @param runtimeConfig the runtime properties the model pipeline measured it with, e.g. OpenVINO's
 *                      {@code INFERENCE_PRECISION_HINT}; empty if none
 */
public record Artifact(String id, ModelFormat format, Precision precision, TargetRuntime runtime,
                       List<ArtifactFile> files, String sha256, Evaluation evaluation,
                       Map<String, String> runtimeConfig) {
    public Artifact {
        files = files == null ? List.of() : List.copyOf(files);
        runtimeConfig = runtimeConfig == null ? Map.of() : Map.copyOf(runtimeConfig);
    }

    /**
     * Resolves the artifact's files and checks each against its recorded size and sha256.
     *
     * @param modelsDir the folder the paths are relative to
     * @return the files, model file first
     * @throws ManifestException if a file is missing, or its size or digest differs: a model is never loaded
     *         unless it is exactly the one the manifest describes
     */
    public List<Path> verifiedFiles(Path modelsDir) throws ManifestException {
        List<Path> paths = new ArrayList<>(files.size());
        for (ArtifactFile file : files) {
            paths.add(file.verified(modelsDir, id));
        }
        return List.copyOf(paths);
    }
}
