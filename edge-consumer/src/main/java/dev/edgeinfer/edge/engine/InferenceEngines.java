package dev.edgeinfer.edge.engine;

import dev.edgeinfer.edge.engine.litert.LiteRtEngine;
import dev.edgeinfer.edge.engine.onnxruntime.OnnxRuntimeEngine;
import dev.edgeinfer.edge.engine.openvino.OpenVinoEngine;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ManifestException;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import java.nio.file.Path;
import java.util.List;

/** Picks and opens the engine a configuration names. */
public final class InferenceEngines {
    private InferenceEngines() {
    }

    /**
     * @param config the settings
     * @return the engine, timed with the system clock
     * @throws ManifestException if the manifest is invalid, lacks the artifact, or the files do not match it
     * @throws InferenceException if the runtime cannot load the model
     */
    public static InferenceEngine open(EngineConfig config) throws ManifestException, InferenceException {
        return open(config, Ticker.SYSTEM);
    }

    /**
     * Reads {@code manifest.json} from the models folder, verifies the artifact's files and opens the engine.
     *
     * @param config the settings
     * @param ticker the clock for timings
     * @return the engine
     * @throws ManifestException if the manifest is invalid, lacks the artifact, or the files do not match it
     * @throws InferenceException if the artifact is for another runtime, or the runtime cannot load it
     */
    public static InferenceEngine open(EngineConfig config, Ticker ticker)
            throws ManifestException, InferenceException {
        ModelManifest manifest = ModelManifest.read(config.modelsDir().resolve(ModelManifest.FILE_NAME));
        Artifact artifact = manifest.artifact(config.artifactId());
        if (!config.engine().configName().equals(artifact.runtime().manifestName())) {
            throw new InferenceException("Artifact " + artifact.id() + " is made for " + artifact.runtime()
                    + ", but the engine is " + config.engine().configName());
        }
        List<Path> files = artifact.verifiedFiles(config.modelsDir());
        return switch (config.engine()) {
            case OPENVINO -> OpenVinoEngine.open(config, manifest, artifact, files, ticker);
            case ONNXRUNTIME -> OnnxRuntimeEngine.open(config, manifest, artifact, files, ticker);
            case LITERT -> LiteRtEngine.open(config, manifest, artifact, files, ticker);
        };
    }
}
