package dev.edgeinfer.rollout;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The artifact a command publishes and the device type it is for: a picocli mixin of {@code publish} and {@code canary}. */
final class ArtifactChoice {
    @Option(names = "--models-dir", defaultValue = "models", description = "Folder with manifest.json and the artifact "
            + "(default: ${DEFAULT-VALUE}).")
    Path modelsDir;
    @Option(names = "--artifact", required = true, description = "Artifact id in that manifest, e.g. openvino-int8.")
    String artifact;
    @Option(names = "--device-type", required = true, description = "Device type whose devices run it.")
    String deviceType;
}
