package dev.edgeinfer.schemas.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code models/manifest.json}, as {@code model/export.py} writes it: the trained model, the input and output
 * contract every artifact shares, the class names, and one entry per artifact (format, precision, runtime, files
 * with their size and sha256). The one definition of the format, shared by every module that reads it.
 *
 * <p>{@link #read(Path)} parses the file once and checks every rule, reporting all it breaks at once, each naming
 * the field and, inside an artifact, the artifact. Fields this reader does not need are ignored, so the model
 * pipeline may add more. {@link Artifact#verifiedFiles(Path)} then checks an artifact's files against the sizes and
 * sha256 the manifest records.
 *
 * @param formatVersion the manifest format, {@value #FORMAT_VERSION}; {@code null} only in a manifest that fails
 *                      validation
 * @param model         what was trained
 * @param input         the input contract
 * @param output        the output contract
 * @param classNames    class names, in output order
 * @param labelSet      the name of the label set the class indexes belong to, e.g. {@code cifar-10}: a frame's ground
 *                      truth is scored against the model only when the frame names the same label set (or none); null
 *                      in a manifest written before label sets were recorded, which scores every frame
 * @param artifacts     the exported artifacts
 */
public record ModelManifest(Integer formatVersion, ModelInfo model, InputContract input, OutputContract output,
                            List<String> classNames, String labelSet, List<Artifact> artifacts) {
    /** The only manifest format this reader understands. */
    public static final int FORMAT_VERSION = 1;
    /** The file name inside the models folder. */
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // An enum is written as its name; a number would silently pick a constant by position.
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .build();
    private static final Pattern IN_ARTIFACT = Pattern.compile("/artifacts/(\\d+)(/.*)?");

    public ModelManifest {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /**
     * Reads and validates a manifest.
     *
     * @param file the manifest file
     * @return the manifest
     * @throws ManifestException if it cannot be read or is not JSON; if a value has the wrong JSON type (the message
     *         names the first); or listing every rule it breaks
     */
    public static ModelManifest read(Path file) throws ManifestException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ManifestException("Cannot read model manifest " + file + ": " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ManifestException("Invalid model manifest " + file + ": not a JSON object");
        }
        UnknownValues unknown = new UnknownValues();
        ModelManifest manifest;
        try {
            manifest = MAPPER.readerFor(ModelManifest.class).withHandler(unknown).readValue(tree);
        } catch (JsonMappingException e) {
            throw new ManifestException("Invalid model manifest " + file + ": " + where(tree, e) + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ManifestException("Cannot read model manifest " + file + ": " + e.getMessage(), e);
        }
        List<String> problems = ManifestRules.problems(manifest, unknown::valueAt);
        if (!problems.isEmpty()) {
            throw new ManifestException("Invalid model manifest " + file + ":" + System.lineSeparator() + "  - "
                    + String.join(System.lineSeparator() + "  - ", problems));
        }
        return manifest;
    }

    /**
     * @param id an artifact id such as {@code openvino-int8}
     * @return the artifact
     * @throws ManifestException if the manifest has no such artifact; the message lists those it has
     */
    public Artifact artifact(String id) throws ManifestException {
        for (Artifact artifact : artifacts) {
            if (artifact.id().equals(id)) {
                return artifact;
            }
        }
        throw new ManifestException("Model manifest of " + model.name() + " has no artifact '" + id
                + "'; it has " + artifacts.stream().map(Artifact::id).toList());
    }

    /** The field a reading error is about, as {@code input.shape[2]} or {@code artifact onnx-int8: files[0].bytes}. */
    private static String where(JsonNode tree, JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            pointer.append('/').append(step.getFieldName() != null ? step.getFieldName() : step.getIndex());
        }
        Matcher artifact = IN_ARTIFACT.matcher(pointer);
        if (!artifact.matches()) {
            return pointer.isEmpty() ? "the manifest" : dotted(pointer.toString());
        }
        int index = Integer.parseInt(artifact.group(1));
        String name = ManifestRules.artifactName(index, tree.path("artifacts").path(index).path("id").asText(null));
        return artifact.group(2) == null ? name : name + ": " + dotted(artifact.group(2));
    }

    /** {@code /files/0/bytes} as {@code files[0].bytes}. */
    private static String dotted(String pointer) {
        return pointer.replaceAll("/(\\d+)", "[$1]").replaceAll("^/", "").replace('/', '.');
    }
}
