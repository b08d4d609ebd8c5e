package dev.edgeinfer.schemas.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A manifest as model/export.py writes it, over two small files in {@link #dir}. */
    private ObjectNode valid;

    @BeforeEach
    void writeArtifactFiles() throws Exception {
        Path onnx = Files.createDirectories(dir.resolve("m/onnx-fp32")).resolve("model.onnx");
        Files.writeString(onnx, "onnx bytes");
        Path xml = Files.createDirectories(dir.resolve("m/openvino-int8")).resolve("model.xml");
        Files.writeString(xml, "<net/>");
        Path bin = xml.resolveSibling("model.bin");
        Files.write(bin, new byte[] {1, 2, 3, 4});
        valid = (ObjectNode) JSON.readTree("""
                {"formatVersion": 1,
                 "model": {"name": "cifar10-resnet9q", "version": "1.0.0", "trainedAtCommit": "abc",
                           "parameters": 412944, "macsPerImage": 24036608, "dataset": "CIFAR-10"},
                 "input": {"name": "image", "elementType": "u8", "layout": "NHWC", "shape": [-1, 32, 24, 3],
                           "colorOrder": "RGB",
                           "normalization": {"scale": 255.0, "mean": [0.49, 0.48, 0.45], "std": [0.25, 0.24, 0.26],
                                             "formula": "(x / scale - mean) / std", "insideGraph": true}},
                 "output": {"name": "logits", "elementType": "f32", "shape": [-1, 3], "kind": "logits"},
                 "classNames": ["cat", "dog", "frog"],
                 "evaluationHost": "somewhere",
                 "artifacts": [
                   {"id": "onnx-fp32", "format": "onnx", "precision": "FP32", "runtime": "onnxruntime",
                    "files": [%s], "sha256": "%s",
                    "evaluation": {"testTop1": 0.9187, "first1000Top1": 0.92, "confusionMatrix": [[1]]}},
                   {"id": "openvino-int8", "format": "openvino-ir", "precision": "INT8", "runtime": "openvino",
                    "files": [%s, %s], "sha256": "%s", "runtimeConfig": {"PERFORMANCE_HINT": "LATENCY"}}
                 ]}
                """.formatted(fileEntry("m/onnx-fp32/model.onnx"), sha256("m/onnx-fp32/model.onnx"),
                fileEntry("m/openvino-int8/model.xml"), fileEntry("m/openvino-int8/model.bin"),
                sha256("m/openvino-int8/model.xml")));
    }

    @Test
    void readsTheContractClassesAndArtifactsAsEnums() throws Exception {
        ModelManifest manifest = ModelManifest.read(write(valid));

        assertThat(manifest.formatVersion()).isEqualTo(ModelManifest.FORMAT_VERSION);
        assertThat(manifest.model().name()).isEqualTo("cifar10-resnet9q");
        assertThat(manifest.model().parameters()).isEqualTo(412944L);
        InputContract input = manifest.input();
        assertThat(input.elementType()).isEqualTo(ElementType.U8);
        assertThat(input.layout()).isEqualTo(Layout.NHWC);
        assertThat(input.colorOrder()).isEqualTo(ColorOrder.RGB);
        assertThat(List.of(input.height(), input.width(), input.channels())).containsExactly(32, 24, 3);
        assertThat(input.takesFramesAsIs()).isTrue();
        assertThat(input.normalization().std()).containsExactly(0.25, 0.24, 0.26);
        assertThat(manifest.output().elementType()).isEqualTo(ElementType.F32);
        assertThat(manifest.output().isLogits()).isTrue();
        assertThat(manifest.classNames()).containsExactly("cat", "dog", "frog");

        Artifact onnx = manifest.artifact("onnx-fp32");
        assertThat(onnx.format()).isEqualTo(ModelFormat.ONNX);
        assertThat(onnx.precision()).isEqualTo(Precision.FP32);
        assertThat(onnx.runtime()).isEqualTo(TargetRuntime.ONNXRUNTIME);
        assertThat(onnx.evaluation().first1000Top1()).isEqualTo(0.92);
        Artifact ir = manifest.artifact("openvino-int8");
        assertThat(List.of(ir.format(), ir.precision(), ir.runtime()))
                .containsExactly(ModelFormat.OPENVINO_IR, Precision.INT8, TargetRuntime.OPENVINO);
        assertThat(ir.files()).extracting(ArtifactFile::path, ArtifactFile::bytes)
                .containsExactly(tuple("m/openvino-int8/model.xml", 6L),
                        tuple("m/openvino-int8/model.bin", 4L));
        assertThat(ir.evaluation()).isNull();
        assertThat(ir.runtimeConfig()).containsExactly(entry("PERFORMANCE_HINT", "LATENCY"));
        assertThat(onnx.runtimeConfig()).isEmpty();
    }

    @Test
    void readsALiteRtArtifact() throws Exception {
        ModelManifest manifest = ModelManifest.read(write(valid, m -> artifact(m, 0).put("id", "litert-int8")
                .put("format", "tflite").put("precision", "INT8").put("runtime", "litert")));

        Artifact litert = manifest.artifact("litert-int8");
        assertThat(List.of(litert.format(), litert.precision(), litert.runtime()))
                .containsExactly(ModelFormat.TFLITE, Precision.INT8, TargetRuntime.LITERT);
    }

    @Test
    void aPlanarLayoutReadsItsDimensionsFromItsOwnPlaces() throws Exception {
        ModelManifest manifest = ModelManifest.read(write(valid, m -> {
            ObjectNode input = (ObjectNode) m.get("input");
            input.put("elementType", "f32").put("layout", "NCHW");
            input.set("shape", JSON.valueToTree(List.of(-1, 3, 32, 24)));
        }));

        assertThat(List.of(manifest.input().height(), manifest.input().width(), manifest.input().channels()))
                .containsExactly(32, 24, 3);
        assertThat(manifest.input().takesFramesAsIs()).isFalse();
        assertThat(Layout.NCHW.axis('C')).isEqualTo(1);
        assertThatThrownBy(() -> Layout.NCHW.axis('D')).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownValueIsReportedAsWrittenWithTheArtifactAndTheValuesAllowed() throws Exception {
        Path file = write(valid, m -> {
            artifact(m, 1).put("precision", "INT4").put("runtime", "tvm");
            ((ObjectNode) m.get("input")).put("layout", "HWC");
        });

        assertThatThrownBy(() -> ModelManifest.read(file))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("Invalid model manifest " + file)
                .hasMessageContaining("artifact openvino-int8: precision must be one of FP32, FP16, INT8, is \"INT4\"")
                .hasMessageContaining("artifact openvino-int8: runtime must be one of openvino, onnxruntime, litert, is \"tvm\"")
                .hasMessageContaining("input.layout must be one of NHWC, NCHW, is \"HWC\"")
                .message().doesNotContain("onnx-fp32");
    }

    @Test
    void anEnumGivenAsANumberIsRefusedNotTakenByPosition() throws Exception {
        Path file = write(valid, m -> artifact(m, 0).put("precision", 1));

        assertThatThrownBy(() -> ModelManifest.read(file))
                .hasMessageContaining("artifact onnx-fp32: precision must be one of FP32, FP16, INT8, is 1");
    }

    @Test
    void missingFieldsAreNamed() throws Exception {
        Path file = write(valid, m -> {
            m.remove("formatVersion");
            ((ObjectNode) m.get("input").get("normalization")).remove("insideGraph");
            ((ObjectNode) m.get("output")).remove("kind");
            artifact(m, 0).remove("format");
            ((ObjectNode) artifact(m, 0).get("files").get(0)).remove("bytes");
            artifact(m, 1).remove("id");
        });

        assertThatThrownBy(() -> ModelManifest.read(file)).message().contains(List.of(
                "formatVersion is missing",
                "input.normalization.insideGraph is required",
                "output.kind must be one of logits, probabilities, is missing",
                "artifact onnx-fp32: format must be one of openvino-ir, onnx, tflite, is missing",
                "artifact onnx-fp32: m/onnx-fp32/model.onnx needs its size in bytes",
                "artifacts[1]: artifact ids must be present and unique"));
    }

    @Test
    void reportsEveryProblemAtOnce() throws IOException {
        String json = """
                {"formatVersion": 2, "model": {"name": "m"},
                 "input": {"name": "image", "elementType": "i16", "layout": "NHWC", "shape": [-1, 32, 32, 4],
                           "colorOrder": "BGR", "normalization": {"scale": 255, "mean": [0.5], "std": [0.5],
                           "insideGraph": true}},
                 "output": {"name": "logits", "elementType": "u8", "shape": [-1, 10], "kind": "scores"},
                 "classNames": ["a", "b"],
                 "artifacts": [{"id": "x", "format": "torchscript", "precision": "INT4", "runtime": "tvm",
                                "files": [{"path": "../x.onnx", "sha256": "ABC", "bytes": -1}], "sha256": "abc"},
                               {"id": "x", "format": "onnx", "precision": "FP16", "runtime": "openvino",
                                "files": []}],
                 "somethingNew": {"ignored": true}}
                """;
        Path file = Files.writeString(dir.resolve("manifest.json"), json);

        assertThatThrownBy(() -> ModelManifest.read(file))
                .isInstanceOf(ManifestException.class)
                .message().contains(List.of("formatVersion is 2", "model.name and model.version",
                        "input.elementType must be one of u8, f32, is \"i16\"", "3 channels",
                        "input.colorOrder must be one of RGB, is \"BGR\"", "three means",
                        "output.elementType must be f32, is u8", "output.kind must be one of logits, probabilities",
                        "classNames has 2 names for 10 outputs", "artifact x: format must be one of",
                        "artifact x: precision must be one of", "artifact x: runtime must be one of",
                        "relative to the models folder", "lower-case hex sha256", "needs its size in bytes, is -1",
                        "sha256 must equal", "artifact x: artifact ids must be present and unique",
                        "artifact x: files is empty"));
    }

    @Test
    void aValueOfTheWrongTypeNamesTheFileAndTheArtifact() throws Exception {
        Path file = write(valid, m -> ((ObjectNode) artifact(m, 1).get("files").get(1)).put("bytes", "four"));

        assertThatThrownBy(() -> ModelManifest.read(file))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("Invalid model manifest " + file + ": artifact openvino-int8: files[1].bytes: ");

        Path shape = write(valid, m -> ((ArrayNode) m.get("input").get("shape")).set(2, "wide"));
        assertThatThrownBy(() -> ModelManifest.read(shape)).hasMessageContaining(": input.shape[2]: ");
    }

    @Test
    void aFileThatIsNotAManifestSaysWhereItIs() throws IOException {
        Path truncated = Files.writeString(dir.resolve("truncated.json"), "{\"formatVersion\": ");
        assertThatThrownBy(() -> ModelManifest.read(truncated)).hasMessageContaining("Cannot read model manifest " + truncated);

        Path array = Files.writeString(dir.resolve("array.json"), "[]");
        assertThatThrownBy(() -> ModelManifest.read(array)).hasMessageContaining(array + ": not a JSON object");

        Path missing = dir.resolve("absent.json");
        assertThatThrownBy(() -> ModelManifest.read(missing)).hasMessageContaining("Cannot read model manifest " + missing);
    }

    @Test
    void anUnknownArtifactListsTheKnownOnes() throws Exception {
        ModelManifest manifest = ModelManifest.read(write(valid));

        assertThatThrownBy(() -> manifest.artifact("openvino-int4"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("cifar10-resnet9q has no artifact 'openvino-int4'")
                .hasMessageContaining("[onnx-fp32, openvino-int8]");
    }

    @Test
    void verifiedFilesAreTheOnesDescribedModelFileFirst() throws Exception {
        ModelManifest manifest = ModelManifest.read(write(valid));

        assertThat(manifest.artifact("openvino-int8").verifiedFiles(dir))
                .containsExactly(dir.resolve("m/openvino-int8/model.xml"), dir.resolve("m/openvino-int8/model.bin"));
        // The digest itself, against the FIPS 180-2 example.
        assertThat(ArtifactFile.sha256Of(Files.writeString(dir.resolve("abc"), "abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aFileOfAnotherSizeIsRefusedBeforeItIsHashed() throws Exception {
        ModelManifest manifest = ModelManifest.read(write(valid));
        Files.write(dir.resolve("m/openvino-int8/model.bin"), new byte[] {5}, StandardOpenOption.APPEND);

        assertThatThrownBy(() -> manifest.artifact("openvino-int8").verifiedFiles(dir))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("Artifact openvino-int8: " + dir.resolve("m/openvino-int8/model.bin"))
                .hasMessageContaining("is 5 bytes but the manifest says 4")
                .hasMessageContaining("refusing");
    }

    @Test
    void aFileOfTheSameSizeButOtherBytesIsRefusedByItsSha256() throws Exception {
        ModelManifest manifest = ModelManifest.read(write(valid));
        String recorded = sha256("m/openvino-int8/model.bin");
        Files.write(dir.resolve("m/openvino-int8/model.bin"), new byte[] {4, 3, 2, 1});

        assertThatThrownBy(() -> manifest.artifact("openvino-int8").verifiedFiles(dir))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("Artifact openvino-int8: sha256 of " + dir.resolve("m/openvino-int8/model.bin"))
                .hasMessageContaining("but the manifest says " + recorded)
                .hasMessageContaining("refusing");
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        ModelManifest manifest = ModelManifest.read(write(valid));
        Files.delete(dir.resolve("m/onnx-fp32/model.onnx"));

        assertThatThrownBy(() -> manifest.artifact("onnx-fp32").verifiedFiles(dir))
                .hasMessage("Artifact onnx-fp32: file " + dir.resolve("m/onnx-fp32/model.onnx") + " is missing");
    }

    private String fileEntry(String path) throws Exception {
        return JSON.writeValueAsString(JSON.createObjectNode().put("path", path).put("sha256", sha256(path))
                .put("bytes", Files.size(dir.resolve(path))));
    }

    private String sha256(String path) throws ManifestException {
        return ArtifactFile.sha256Of(dir.resolve(path));
    }

    private static ObjectNode artifact(ObjectNode manifest, int index) {
        return (ObjectNode) manifest.get("artifacts").get(index);
    }

    private Path write(ObjectNode manifest) throws IOException {
        return write(manifest, m -> {});
    }

    private Path write(ObjectNode manifest, Consumer<ObjectNode> change) throws IOException {
        ObjectNode copy = manifest.deepCopy();
        change.accept(copy);
        return Files.writeString(dir.resolve(ModelManifest.FILE_NAME), JSON.writeValueAsString(copy),
                StandardCharsets.UTF_8);
    }
}
