package dev.edgeinfer.edge.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.edge.engine.EngineTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {
    @TempDir
    Path dir;

    @Test
    void readsTheContractClassesAndArtifacts() throws ManifestException {
        ModelManifest manifest = ModelManifest.read(EngineTestSupport.u8Models().resolve("manifest.json"));
        assertThat(manifest.model().name()).isEqualTo("tiny-u8");
        assertThat(manifest.input().takesFramesAsIs()).isTrue();
        assertThat(manifest.input().height()).isEqualTo(32);
        assertThat(manifest.input().channels()).isEqualTo(3);
        assertThat(manifest.output().isLogits()).isTrue();
        assertThat(manifest.classNames()).hasSize(10).startsWith("airplane").endsWith("truck");
        ModelManifest.Artifact ir = manifest.artifact("openvino-fp32");
        assertThat(ir.files()).extracting(ModelManifest.ArtifactFile::path)
                .containsExactly("tiny-u8/openvino/model.xml", "tiny-u8/openvino/model.bin");
    }

    @Test
    void theNchwManifestReadsItsDimensionsFromItsLayout() throws ManifestException {
        ModelManifest manifest = ModelManifest.read(EngineTestSupport.f32NchwModels().resolve("manifest.json"));
        assertThat(manifest.input().takesFramesAsIs()).isFalse();
        assertThat(manifest.input().width()).isEqualTo(32);
        assertThat(manifest.input().channels()).isEqualTo(3);
    }

    @Test
    void verifiesEveryFileAndRefusesAMismatch() throws Exception {
        Path models = EngineTestSupport.u8Models();
        ModelManifest manifest = ModelManifest.read(models.resolve("manifest.json"));
        assertThat(ModelManifest.verifiedFiles(manifest.artifact("openvino-fp32"), models)).hasSize(2);

        Path copy = Files.createDirectories(dir.resolve("tiny-u8/onnx")).resolve("model.onnx");
        Files.copy(models.resolve("tiny-u8/onnx/model.onnx"), copy);
        Files.write(copy, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelManifest.verifiedFiles(manifest.artifact("onnx-fp32"), dir))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("sha256 of")
                .hasMessageContaining(manifest.artifact("onnx-fp32").sha256())
                .hasMessageContaining("refusing");
        assertThatThrownBy(() -> ModelManifest.verifiedFiles(manifest.artifact("openvino-fp32"), dir))
                .hasMessageContaining("missing");
    }

    @Test
    void anUnknownArtifactListsTheKnownOnes() throws ManifestException {
        ModelManifest manifest = ModelManifest.read(EngineTestSupport.u8Models().resolve("manifest.json"));
        assertThatThrownBy(() -> manifest.artifact("openvino-int4"))
                .hasMessageContaining("openvino-int4")
                .hasMessageContaining("[onnx-fp32, openvino-fp32, openvino-onnx-fp32]");
    }

    @Test
    void reportsEveryProblemAtOnce() throws IOException {
        String json = """
                {"formatVersion": 2, "model": {"name": "m"},
                 "input": {"name": "image", "elementType": "i16", "layout": "NHWC", "shape": [-1, 32, 32, 4],
                           "colorOrder": "BGR", "normalization": {"scale": 255, "mean": [0.5], "std": [0.5],
                           "insideGraph": true}},
                 "output": {"name": "logits", "elementType": "f32", "shape": [-1, 10], "kind": "scores"},
                 "classNames": ["a", "b"],
                 "artifacts": [{"id": "x", "format": "tflite", "precision": "INT4", "runtime": "tvm",
                                "files": [{"path": "../x.onnx", "sha256": "ABC", "bytes": 1}], "sha256": "abc"}],
                 "somethingNew": {"ignored": true}}
                """;
        Path file = Files.writeString(dir.resolve("manifest.json"), json);
        assertThatThrownBy(() -> ModelManifest.read(file))
                .isInstanceOf(ManifestException.class)
                .message().contains(List.of("formatVersion is 2", "model.name and model.version",
                        "input.elementType must be u8 or f32", "3 channels", "colorOrder must be RGB",
                        "three means", "output.kind", "classNames has 2 names for 10 outputs",
                        "format must be openvino-ir or onnx", "precision must be", "runtime must be",
                        "relative to the models folder", "lower-case hex sha256", "sha256 must equal"));
    }

    @Test
    void aMalformedFileSaysWhereItIs() throws IOException {
        Path file = Files.writeString(dir.resolve("manifest.json"), "{\"formatVersion\": ");
        assertThatThrownBy(() -> ModelManifest.read(file)).hasMessageContaining(file.toString());
    }
}
