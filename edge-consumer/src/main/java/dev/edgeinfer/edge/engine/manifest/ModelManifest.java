package dev.edgeinfer.edge.engine.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code models/manifest.json}: the trained model, the input and output contract every artifact shares, the
 * class names, and one entry per artifact (format, precision, runtime, files with their sha256). Read with
 * {@link #read(Path)}, which validates everything and reports all problems at once. Fields this reader does not
 * need are ignored, so the model pipeline may add more.
 *
 * @param formatVersion the manifest format, {@value #FORMAT_VERSION}
 * @param model         what was trained
 * @param input         the input contract
 * @param output        the output contract
 * @param classNames    class names, in output order
 * @param artifacts     the exported artifacts
 */
public record ModelManifest(int formatVersion, ModelInfo model, InputContract input, OutputContract output,
                            List<String> classNames, List<Artifact> artifacts) {
    /** The only manifest format this reader understands. */
    public static final int FORMAT_VERSION = 1;
    /** The file name inside the models folder. */
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelManifest {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /**
     * @param name            e.g. {@code cifar10-resnet9q}
     * @param version         the model's version
     * @param trainedAtCommit the commit the training ran at
     * @param parameters      trainable parameters
     * @param macsPerImage    multiply-accumulates per image
     */
    public record ModelInfo(String name, String version, String trainedAtCommit, Long parameters,
                            Long macsPerImage) {
    }

    /**
     * @param name          the model's input name
     * @param elementType   {@code u8} or {@code f32}
     * @param layout        {@code NHWC} or {@code NCHW}
     * @param shape         dimensions, {@code -1} for the dynamic batch
     * @param colorOrder    {@code RGB}
     * @param normalization how pixels become model values, and whether the graph does it itself
     */
    public record InputContract(String name, String elementType, String layout, List<Integer> shape,
                                String colorOrder, Normalization normalization) {
        public InputContract {
            shape = shape == null ? List.of() : List.copyOf(shape);
        }

        /** @return image height in pixels */
        public int height() {
            return shape.get(layout.indexOf('H'));
        }

        /** @return image width in pixels */
        public int width() {
            return shape.get(layout.indexOf('W'));
        }

        /** @return colour channels */
        public int channels() {
            return shape.get(layout.indexOf('C'));
        }

        /** @return whether the model takes raw u8 NHWC pixels and normalizes them itself, as frames arrive */
        public boolean takesFramesAsIs() {
            return "u8".equals(elementType) && "NHWC".equals(layout) && normalization.insideGraph();
        }
    }

    /**
     * {@code model value = (pixel / scale - mean[c]) / std[c]}.
     *
     * @param scale       pixel divisor, 255
     * @param mean        per channel, in colour order
     * @param std         per channel, in colour order
     * @param insideGraph whether the model does this itself
     */
    public record Normalization(double scale, List<Double> mean, List<Double> std, boolean insideGraph) {
        public Normalization {
            mean = mean == null ? List.of() : List.copyOf(mean);
            std = std == null ? List.of() : List.copyOf(std);
        }
    }

    /**
     * @param name        the output name
     * @param elementType {@code f32}
     * @param shape       {@code [-1, classes]}
     * @param kind        {@code logits} (the engine applies softmax) or {@code probabilities}
     */
    public record OutputContract(String name, String elementType, List<Integer> shape, String kind) {
        public OutputContract {
            shape = shape == null ? List.of() : List.copyOf(shape);
        }

        /** @return whether the output still needs a softmax */
        public boolean isLogits() {
            return "logits".equals(kind);
        }
    }

    /**
     * @param id         e.g. {@code openvino-int8}
     * @param format     {@code openvino-ir} or {@code onnx}
     * @param precision  {@code FP32}, {@code FP16} or {@code INT8}
     * @param runtime    {@code openvino} or {@code onnxruntime}
     * @param files      the files, the model file first; paths relative to the models folder
     * @param sha256     sha256 of the first file
     * @param evaluation accuracy measured by the model pipeline, if any
     */
    public record Artifact(String id, String format, String precision, String runtime, List<ArtifactFile> files,
                           String sha256, Evaluation evaluation) {
        public Artifact {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /**
     * @param path   relative to the models folder
     * @param sha256 lower-case hex
     * @param bytes  file size
     */
    public record ArtifactFile(String path, String sha256, long bytes) {
    }

    /**
     * @param testTop1       top-1 accuracy on the whole CIFAR-10 test set
     * @param first1000Top1  top-1 accuracy on its first 1000 images
     */
    public record Evaluation(Double testTop1, Double first1000Top1) {
    }

    /**
     * Reads and validates a manifest.
     *
     * @param file the manifest file
     * @return the manifest
     * @throws ManifestException if it cannot be read or parsed, or lists every rule it breaks
     */
    public static ModelManifest read(Path file) throws ManifestException {
        ModelManifest manifest;
        try {
            manifest = MAPPER.readValue(file.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new ManifestException("Cannot read model manifest " + file + ": " + e.getMessage(), e);
        }
        List<String> problems = manifest.problems();
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

    /**
     * Resolves an artifact's files and checks each against its recorded size and sha256.
     *
     * @param artifact  an artifact of this manifest
     * @param modelsDir the folder the paths are relative to
     * @return the files, model file first
     * @throws ManifestException if a file is missing, or its size or digest differs: a model is never loaded
     *         unless it is exactly the one the manifest describes
     */
    public static List<Path> verifiedFiles(Artifact artifact, Path modelsDir) throws ManifestException {
        List<Path> paths = new ArrayList<>();
        for (ArtifactFile entry : artifact.files()) {
            Path path = modelsDir.resolve(entry.path()).normalize();
            if (!Files.isRegularFile(path)) {
                throw new ManifestException("Artifact " + artifact.id() + ": file " + path + " is missing");
            }
            String actual = sha256(path);
            if (!actual.equals(entry.sha256())) {
                throw new ManifestException("Artifact " + artifact.id() + ": sha256 of " + path + " is " + actual
                        + " but the manifest says " + entry.sha256() + "; refusing to load a model that is not the "
                        + "one described");
            }
            paths.add(path);
        }
        return List.copyOf(paths);
    }

    static String sha256(Path file) throws ManifestException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ManifestException("Cannot hash " + file + ": " + e.getMessage(), e);
        }
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (formatVersion != FORMAT_VERSION) {
            problems.add("formatVersion is " + formatVersion + ", this reader understands " + FORMAT_VERSION);
        }
        if (model == null || blank(model.name()) || blank(model.version())) {
            problems.add("model.name and model.version are required");
        }
        inputProblems(problems);
        int classes = -1;
        if (output == null) {
            problems.add("output is required");
        } else {
            if (!"f32".equals(output.elementType())) {
                problems.add("output.elementType must be f32, is " + output.elementType());
            }
            if (!"logits".equals(output.kind()) && !"probabilities".equals(output.kind())) {
                problems.add("output.kind must be logits or probabilities, is " + output.kind());
            }
            if (output.shape().size() != 2 || output.shape().get(1) < 1) {
                problems.add("output.shape must be [batch, classes], is " + output.shape());
            } else {
                classes = output.shape().get(1);
            }
        }
        if (classNames.isEmpty() || (classes > 0 && classNames.size() != classes)) {
            problems.add("classNames has " + classNames.size() + " names for " + classes + " outputs");
        }
        artifactProblems(problems);
        return problems;
    }

    private void inputProblems(List<String> problems) {
        if (input == null) {
            problems.add("input is required");
            return;
        }
        if (blank(input.name())) {
            problems.add("input.name is required");
        }
        if (!"u8".equals(input.elementType()) && !"f32".equals(input.elementType())) {
            problems.add("input.elementType must be u8 or f32, is " + input.elementType());
        }
        if (!"NHWC".equals(input.layout()) && !"NCHW".equals(input.layout())) {
            problems.add("input.layout must be NHWC or NCHW, is " + input.layout());
        } else if (input.shape().size() != 4 || input.channels() != 3 || input.height() < 1 || input.width() < 1) {
            problems.add("input.shape must be 4-D with 3 channels for layout " + input.layout() + ", is "
                    + input.shape());
        }
        if (!"RGB".equals(input.colorOrder())) {
            problems.add("input.colorOrder must be RGB, is " + input.colorOrder());
        }
        Normalization n = input.normalization();
        if (n == null) {
            problems.add("input.normalization is required");
        } else if (n.scale() <= 0 || n.mean().size() != 3 || n.std().size() != 3
                || n.std().stream().anyMatch(s -> s <= 0)) {
            problems.add("input.normalization needs scale > 0 and three means and three positive stds");
        }
    }

    private void artifactProblems(List<String> problems) {
        if (artifacts.isEmpty()) {
            problems.add("artifacts is empty");
        }
        Set<String> ids = new HashSet<>();
        for (Artifact a : artifacts) {
            String where = "artifact " + a.id();
            if (blank(a.id()) || !ids.add(a.id())) {
                problems.add("artifact ids must be present and unique: " + a.id());
            }
            if (!Set.of("openvino-ir", "onnx").contains(String.valueOf(a.format()))) {
                problems.add(where + ": format must be openvino-ir or onnx, is " + a.format());
            }
            if (!Set.of("FP32", "FP16", "INT8").contains(String.valueOf(a.precision()))) {
                problems.add(where + ": precision must be FP32, FP16 or INT8, is " + a.precision());
            }
            if (!Set.of("openvino", "onnxruntime").contains(String.valueOf(a.runtime()))) {
                problems.add(where + ": runtime must be openvino or onnxruntime, is " + a.runtime());
            }
            if (a.files().isEmpty()) {
                problems.add(where + ": files is empty");
                continue;
            }
            for (ArtifactFile f : a.files()) {
                if (blank(f.path()) || Path.of(f.path()).isAbsolute() || f.path().contains("..")) {
                    problems.add(where + ": file path must be relative to the models folder: " + f.path());
                }
                if (f.sha256() == null || !SHA256.matcher(f.sha256()).matches()) {
                    problems.add(where + ": " + f.path() + " needs a lower-case hex sha256");
                }
            }
            if (a.sha256() == null || !a.sha256().equals(a.files().get(0).sha256())) {
                problems.add(where + ": sha256 must equal the sha256 of its first file");
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
