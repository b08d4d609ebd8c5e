package dev.edgeinfer.schemas.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The rules a manifest read from a file must keep; each broken one becomes a line of the error. */
final class ManifestRules {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final ModelManifest manifest;
    /** The enum values the file holds that no constant matched, by JSON pointer. */
    private final Function<String, String> unknownValueAt;
    private final List<String> problems = new ArrayList<>();

    private ManifestRules(ModelManifest manifest, Function<String, String> unknownValueAt) {
        this.manifest = manifest;
        this.unknownValueAt = unknownValueAt;
    }

    /**
     * @param manifest       as read
     * @param unknownValueAt the enum values that matched no constant (and were read as {@code null}), by JSON pointer
     * @return every rule the manifest breaks, empty if none
     */
    static List<String> problems(ModelManifest manifest, Function<String, String> unknownValueAt) {
        ManifestRules rules = new ManifestRules(manifest, unknownValueAt);
        rules.checkHeader();
        rules.checkInput();
        int classes = rules.checkOutput();
        rules.checkClassNames(classes);
        rules.checkArtifacts();
        return List.copyOf(rules.problems);
    }

    /**
     * @param index the artifact's place in the list
     * @param id    its id, if it has one
     * @return how messages name it: by id, or by place when it has none
     */
    static String artifactName(int index, String id) {
        return id == null || id.isBlank() ? "artifacts[" + index + "]" : "artifact " + id;
    }

    private void checkHeader() {
        if (manifest.formatVersion() == null) {
            problems.add("formatVersion is missing; this reader understands " + ModelManifest.FORMAT_VERSION);
        } else if (manifest.formatVersion() != ModelManifest.FORMAT_VERSION) {
            problems.add("formatVersion is " + manifest.formatVersion() + ", this reader understands "
                    + ModelManifest.FORMAT_VERSION);
        }
        ModelInfo model = manifest.model();
        if (model == null || blank(model.name()) || blank(model.version())) {
            problems.add("model.name and model.version are required");
        }
    }

    private void checkInput() {
        InputContract input = manifest.input();
        if (input == null) {
            problems.add("input is required");
            return;
        }
        if (blank(input.name())) {
            problems.add("input.name is required");
        }
        requireKnown("input.elementType", "/input/elementType", input.elementType(), ElementType.values());
        if (requireKnown("input.layout", "/input/layout", input.layout(), Layout.values())
                && (input.shape().size() != 4 || input.channels() != 3 || input.height() < 1 || input.width() < 1)) {
            problems.add("input.shape must be 4-D with 3 channels for layout " + input.layout().manifestName()
                    + ", is " + input.shape());
        }
        requireKnown("input.colorOrder", "/input/colorOrder", input.colorOrder(), ColorOrder.values());
        Normalization n = input.normalization();
        if (n == null) {
            problems.add("input.normalization is required");
            return;
        }
        if (n.scale() <= 0 || n.mean().size() != 3 || n.std().size() != 3 || n.std().stream().anyMatch(s -> s <= 0)) {
            problems.add("input.normalization needs scale > 0 and three means and three positive stds");
        }
        if (n.insideGraph() == null) {
            problems.add("input.normalization.insideGraph is required (true or false)");
        }
    }

    /** @return the number of classes the output has, -1 if it cannot tell */
    private int checkOutput() {
        OutputContract output = manifest.output();
        if (output == null) {
            problems.add("output is required");
            return -1;
        }
        if (requireKnown("output.elementType", "/output/elementType", output.elementType(), ElementType.values())
                && output.elementType() != ElementType.F32) {
            problems.add("output.elementType must be f32, is " + output.elementType().manifestName());
        }
        requireKnown("output.kind", "/output/kind", output.kind(), OutputKind.values());
        if (output.shape().size() != 2 || output.shape().get(1) < 1) {
            problems.add("output.shape must be [batch, classes], is " + output.shape());
            return -1;
        }
        return output.shape().get(1);
    }

    private void checkClassNames(int classes) {
        List<String> names = manifest.classNames();
        if (names.isEmpty() || (classes > 0 && names.size() != classes)) {
            problems.add("classNames has " + names.size() + " names for " + classes + " outputs");
        }
    }

    private void checkArtifacts() {
        List<Artifact> artifacts = manifest.artifacts();
        if (artifacts.isEmpty()) {
            problems.add("artifacts is empty");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < artifacts.size(); i++) {
            Artifact a = artifacts.get(i);
            String where = artifactName(i, a.id());
            if (blank(a.id()) || !ids.add(a.id())) {
                problems.add(where + ": artifact ids must be present and unique, is " + a.id());
            }
            String pointer = "/artifacts/" + i;
            requireKnown(where + ": format", pointer + "/format", a.format(), ModelFormat.values());
            requireKnown(where + ": precision", pointer + "/precision", a.precision(), Precision.values());
            requireKnown(where + ": runtime", pointer + "/runtime", a.runtime(), TargetRuntime.values());
            checkFiles(where, a);
        }
    }

    private void checkFiles(String where, Artifact a) {
        if (a.files().isEmpty()) {
            problems.add(where + ": files is empty");
            return;
        }
        for (ArtifactFile f : a.files()) {
            if (blank(f.path()) || Path.of(f.path()).isAbsolute() || f.path().contains("..")) {
                problems.add(where + ": file path must be relative to the models folder: " + f.path());
            }
            if (f.sha256() == null || !SHA256.matcher(f.sha256()).matches()) {
                problems.add(where + ": " + f.path() + " needs a lower-case hex sha256");
            }
            if (f.bytes() == null || f.bytes() < 0) {
                problems.add(where + ": " + f.path() + " needs its size in bytes, is " + f.bytes());
            }
        }
        if (a.sha256() == null || !a.sha256().equals(a.files().get(0).sha256())) {
            problems.add(where + ": sha256 must equal the sha256 of its first file");
        }
    }

    /**
     * Reports a missing value, or one that matched no constant, with the constants allowed.
     *
     * @return whether the value is known
     */
    private boolean requireKnown(String field, String pointer, ManifestValue value, ManifestValue[] allowed) {
        if (value != null) {
            return true;
        }
        String written = unknownValueAt.apply(pointer);
        problems.add(field + " must be one of " + Arrays.stream(allowed).map(ManifestValue::manifestName)
                .collect(Collectors.joining(", ")) + ", is " + (written == null ? "missing" : written));
        return false;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
