package dev.edgeinfer.edge.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.EngineConfig;
import dev.edgeinfer.edge.engine.EngineKind;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.InferenceEngines;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ArtifactFile;
import dev.edgeinfer.schemas.manifest.ManifestException;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.manifest.Precision;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Adds an image classifier of one's own to a models folder: its files copied in beside the others, an artifact entry
 * with their sizes and sha256 in the folder's {@code manifest.json} (created with the given contract when the folder
 * has none), and then the proof that a device can run it: the artifact opened on its engine and one frame classified
 * into exactly as many scores as the manifest has class names. A model that fails leaves the folder as it was.
 */
final class ModelCatalog {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The contract of a new manifest: what every artifact of the folder takes and gives. */
    record Contract(String modelName, String modelVersion, List<String> classNames, String labelSet, String inputName,
                    String elementType, String layout, int height, int width, double scale, List<Double> mean, List<Double> std,
                    boolean normalizationInsideGraph, String outputName, String outputKind) {
    }

    /** What to add: the model file (for OpenVINO the {@code .xml}, its {@code .bin} beside it), its id and precision. */
    record Addition(Path modelsDir, Path modelFile, String artifactId, Precision precision) {
    }

    /**
     * @param contract the contract when the folder has no manifest yet; must be null when it has one
     * @return the artifact as the manifest now holds it
     * @throws IllegalArgumentException if the model is not one the engines run, the id is taken, or the contract is
     *                                  missing or given twice
     * @throws ManifestException        if the manifest written is invalid
     * @throws IOException              if a file cannot be read or written
     * @throws IllegalStateException    if the engine cannot run it, or it gives another number of scores than the manifest
     *                                  has class names; the folder is left as it was
     */
    Artifact add(Addition addition, Contract contract) throws IOException, ManifestException {
        Path manifestFile = addition.modelsDir().resolve(ModelManifest.FILE_NAME);
        boolean existed = Files.exists(manifestFile);
        String before = existed ? Files.readString(manifestFile) : null;
        if (existed && contract != null) {
            throw new IllegalArgumentException(manifestFile + " exists: its contract (input, output, class names, label set) "
                    + "applies to every artifact; leave out the options of a new manifest");
        }
        if (!existed && contract == null) {
            throw new IllegalArgumentException(manifestFile + " does not exist: give the contract of a new manifest (model "
                    + "name and version, class names, label set, input size, layout, element type, normalization, output kind)");
        }
        Kind kind = Kind.of(addition.modelFile());
        ObjectNode root = existed ? (ObjectNode) JSON.readTree(before) : newManifest(contract);
        ArrayNode artifacts = root.withArray("artifacts");
        for (var existing : artifacts) {
            if (addition.artifactId().equals(existing.path("id").asText())) {
                throw new IllegalArgumentException("artifact id " + addition.artifactId() + " is taken in " + manifestFile);
            }
        }
        Path folder = addition.modelsDir().resolve(root.path("model").path("name").asText()).resolve(addition.artifactId());
        if (Files.exists(folder)) {
            throw new IllegalArgumentException(folder + " exists already: choose another artifact id");
        }
        List<Path> copied = new ArrayList<>();
        try {
            ArrayNode files = JSON.createArrayNode();
            for (Path source : kind.files(addition.modelFile())) {
                Path target = folder.resolve(source.getFileName());
                Files.createDirectories(folder);
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                copied.add(target);
                files.addObject().put("path", addition.modelsDir().relativize(target).toString().replace('\\', '/'))
                        .put("sha256", ArtifactFile.sha256Of(target)).put("bytes", Files.size(target));
            }
            ObjectNode artifact = artifacts.addObject().put("id", addition.artifactId()).put("format", kind.format)
                    .put("precision", addition.precision().manifestName()).put("runtime", kind.engine.configName());
            artifact.set("files", files);
            artifact.put("sha256", files.get(0).path("sha256").asText());
            Files.writeString(manifestFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
            ModelManifest manifest = ModelManifest.read(manifestFile);
            prove(addition, kind, manifest);
            return manifest.artifact(addition.artifactId());
        } catch (IOException | ManifestException | RuntimeException e) {
            undo(manifestFile, before, copied, folder);
            throw e;
        }
    }

    /** Opens the artifact on its engine and classifies one black frame. */
    private static void prove(Addition addition, Kind kind, ModelManifest manifest) {
        Properties properties = EngineConfig.defaults();
        properties.setProperty(EngineConfig.ENGINE, kind.engine.configName());
        properties.setProperty(EngineConfig.MODELS_DIR, addition.modelsDir().toString());
        properties.setProperty(EngineConfig.ARTIFACT, addition.artifactId());
        properties.setProperty(EngineConfig.REQUESTS_IN_FLIGHT, "1");
        properties.setProperty(EngineConfig.MAX_BATCH, "1");
        int classes = manifest.classNames().size();
        try (InferenceEngine engine = InferenceEngines.open(EngineConfig.fromProperties(properties))) {
            int height = manifest.input().height();
            int width = manifest.input().width();
            BatchResult result = engine.infer(FrameBatch.of(ByteBuffer.allocateDirect(height * width * FrameBatch.CHANNELS), 1,
                    height, width));
            int scores = result.predictions().get(0).probabilities().length;
            if (scores != classes) {
                throw new IllegalStateException("the model gives " + scores + " scores per frame, the manifest has " + classes
                        + " class names");
            }
        } catch (ManifestException | dev.edgeinfer.edge.engine.InferenceException | RuntimeException
                 | UnsatisfiedLinkError e) {
            throw new IllegalStateException(kind.engine.configName() + " cannot run " + addition.modelFile() + " as "
                    + addition.artifactId() + ": " + e.getMessage(), e);
        }
    }

    private static void undo(Path manifestFile, String before, List<Path> copied, Path folder) throws IOException {
        if (before == null) {
            Files.deleteIfExists(manifestFile);
        } else {
            Files.writeString(manifestFile, before);
        }
        for (Path file : copied) {
            Files.deleteIfExists(file);
        }
        Files.deleteIfExists(folder);
    }

    private static ObjectNode newManifest(Contract c) {
        ObjectNode root = JSON.createObjectNode().put("formatVersion", ModelManifest.FORMAT_VERSION);
        root.putObject("model").put("name", c.modelName()).put("version", c.modelVersion());
        ObjectNode input = root.putObject("input").put("name", c.inputName()).put("elementType", c.elementType())
                .put("layout", c.layout());
        ArrayNode shape = input.putArray("shape").add(-1);
        for (char axis : c.layout().substring(1).toCharArray()) {
            shape.add(axis == 'H' ? c.height() : axis == 'W' ? c.width() : 3);
        }
        input.put("colorOrder", "RGB");
        ObjectNode normalization = input.putObject("normalization").put("scale", c.scale());
        c.mean().forEach(normalization.putArray("mean")::add);
        c.std().forEach(normalization.putArray("std")::add);
        normalization.put("insideGraph", c.normalizationInsideGraph());
        ObjectNode output = root.putObject("output").put("name", c.outputName()).put("elementType", "f32");
        output.putArray("shape").add(-1).add(c.classNames().size());
        output.put("kind", c.outputKind());
        c.classNames().forEach(root.putArray("classNames")::add);
        root.put("labelSet", c.labelSet());
        root.putArray("artifacts");
        return root;
    }

    /** The model formats the engines run, told by the file's extension. */
    private enum Kind {
        ONNX("onnx", EngineKind.ONNXRUNTIME), OPENVINO_IR("openvino-ir", EngineKind.OPENVINO), TFLITE("tflite", EngineKind.LITERT);

        final String format;
        final EngineKind engine;

        Kind(String format, EngineKind engine) {
            this.format = format;
            this.engine = engine;
        }

        static Kind of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " is not a file");
            }
            if (name.endsWith(".onnx")) {
                return ONNX;
            }
            if (name.endsWith(".xml")) {
                return OPENVINO_IR;
            }
            if (name.endsWith(".tflite")) {
                return TFLITE;
            }
            throw new IllegalArgumentException(file + " is not a model the engines run: ONNX (.onnx, ONNX Runtime), OpenVINO IR "
                    + "(.xml with its .bin, OpenVINO) or LiteRT (.tflite)");
        }

        List<Path> files(Path model) {
            if (this != OPENVINO_IR) {
                return List.of(model);
            }
            String name = model.getFileName().toString();
            Path weights = model.resolveSibling(name.substring(0, name.length() - ".xml".length()) + ".bin");
            if (!Files.isRegularFile(weights)) {
                throw new IllegalArgumentException("an OpenVINO IR needs its weights beside it: " + weights + " is missing");
            }
            return List.of(model, weights);
        }
    }
}
