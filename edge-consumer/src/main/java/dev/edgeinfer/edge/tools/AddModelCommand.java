package dev.edgeinfer.edge.tools;

import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code add-model}: bring an image classifier of one's own into a models folder, proven runnable on its engine. */
@Command(name = "add-model", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Add an ONNX (.onnx), OpenVINO IR (.xml with its .bin) or LiteRT (.tflite) image classifier to a models "
                + "folder's manifest, then open it on its engine and classify one frame: a model the engines cannot run, or "
                + "that gives another number of scores than the manifest has class names, is refused and the folder left as "
                + "it was. The options after --precision make a new manifest, for a folder that has none.")
public final class AddModelCommand implements Callable<Integer> {

    @Option(names = "--models-dir", required = true, description = "The models folder (created when missing).")
    Path modelsDir;
    @Option(names = "--model", required = true, description = "The model file: .onnx, .xml (its .bin beside it) or .tflite.")
    Path model;
    @Option(names = "--id", required = true, description = "Artifact id, e.g. my-net-onnx-fp32.")
    String id;
    @Option(names = "--precision", required = true, description = "FP32, FP16, BF16 or INT8.")
    String precision;
    @Option(names = "--name", description = "Model name (new manifest).")
    String name;
    @Option(names = "--version", description = "Model version (new manifest).")
    String version;
    @Option(names = "--class-names", split = ",", description = "Class names in output order, comma-separated (new manifest).")
    List<String> classNames;
    @Option(names = "--class-names-file", description = "Class names, one per line in output order (new manifest).")
    Path classNamesFile;
    @Option(names = "--label-set", description = "Name of the label set the classes are, e.g. imagenet-1k: frames whose "
            + "ground truth is of another label set are not scored against this model (new manifest).")
    String labelSet;
    @Option(names = "--input-name", defaultValue = "input", description = "Input tensor name (default: ${DEFAULT-VALUE}).")
    String inputName;
    @Option(names = "--input-size", description = "Input height x width in pixels, e.g. 224x224 (new manifest).")
    String inputSize;
    @Option(names = "--layout", defaultValue = "NHWC", description = "NHWC or NCHW (default: ${DEFAULT-VALUE}).")
    String layout;
    @Option(names = "--element-type", defaultValue = "u8", description = "u8 or f32 input (default: ${DEFAULT-VALUE}).")
    String elementType;
    @Option(names = "--scale", defaultValue = "255", description = "Pixel divisor of the normalization (default: ${DEFAULT-VALUE}).")
    double scale;
    @Option(names = "--mean", split = ",", defaultValue = "0,0,0", description = "Per-channel mean, R,G,B (default: ${DEFAULT-VALUE}).")
    List<Double> mean;
    @Option(names = "--std", split = ",", defaultValue = "1,1,1", description = "Per-channel std, R,G,B (default: ${DEFAULT-VALUE}).")
    List<Double> std;
    @Option(names = "--normalization-inside-graph", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "The model normalizes its input itself (default: ${DEFAULT-VALUE}).")
    boolean insideGraph;
    @Option(names = "--output-name", defaultValue = "output", description = "Output tensor name (default: ${DEFAULT-VALUE}).")
    String outputName;
    @Option(names = "--output-kind", defaultValue = "logits", description = "logits or probabilities (default: ${DEFAULT-VALUE}).")
    String outputKind;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AddModelCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(modelsDir);
        Precision wanted = Arrays.stream(Precision.values()).filter(p -> p.manifestName().equalsIgnoreCase(precision)).findFirst()
                .orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(this), "--precision " + precision
                        + " is not one of " + Arrays.toString(Precision.values())));
        Artifact artifact = new ModelCatalog().add(new ModelCatalog.Addition(modelsDir, model, id, wanted), contract());
        System.out.printf("added %s (%s, %s, %s) to %s: %d files, sha256 %s; it ran one frame on %s%n", artifact.id(),
                artifact.format().manifestName(), artifact.precision().manifestName(), artifact.runtime().manifestName(),
                modelsDir.resolve("manifest.json"), artifact.files().size(), artifact.sha256(), artifact.runtime().manifestName());
        return 0;
    }

    /** The contract of a new manifest, or null when none of its options is given. */
    private ModelCatalog.Contract contract() throws java.io.IOException {
        if (name == null && version == null && classNames == null && classNamesFile == null && labelSet == null
                && inputSize == null) {
            return null;
        }
        List<String> classes = classNamesFile != null ? Files.readAllLines(classNamesFile).stream().map(String::strip)
                .filter(line -> !line.isEmpty()).toList() : classNames;
        if (name == null || version == null || classes == null || labelSet == null || inputSize == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "a new manifest needs --name, --version, "
                    + "--class-names (or --class-names-file), --label-set and --input-size");
        }
        String[] size = inputSize.toLowerCase(java.util.Locale.ROOT).split("x");
        if (size.length != 2) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--input-size is HEIGHTxWIDTH, e.g. 224x224, not "
                    + inputSize);
        }
        return new ModelCatalog.Contract(name, version, classes, labelSet, inputName, elementType, layout,
                Integer.parseInt(size[0].strip()), Integer.parseInt(size[1].strip()), scale, mean, std, insideGraph, outputName,
                outputKind);
    }
}
