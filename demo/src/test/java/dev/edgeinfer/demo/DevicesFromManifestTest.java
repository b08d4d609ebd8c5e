package dev.edgeinfer.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.schemas.manifest.ManifestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's devices come from the manifest, read by the shared reader. */
class DevicesFromManifestTest {
    private static final String SHA = "0".repeat(64);

    @TempDir
    Path models;

    @Test
    void oneDevicePerMatchingArtifactAndBatchingMode() throws Exception {
        writeManifest("""
                {"id": "onnx-int8", "format": "onnx", "precision": "INT8", "runtime": "onnxruntime", %1$s},
                {"id": "openvino-fp32", "format": "openvino-ir", "precision": "FP32", "runtime": "openvino", %1$s},
                {"id": "openvino-int8", "format": "openvino-ir", "precision": "INT8", "runtime": "openvino", %1$s}
                """.formatted(files()));

        List<DemoRun.DeviceSpec> devices = DemoRun.devicesFromManifest(models, List.of(" OpenVINO"),
                List.of("fp32", "INT8"), List.of("adaptive", "fixed"));

        assertThat(devices).containsExactly(
                new DemoRun.DeviceSpec("openvino", "openvino-fp32", "FP32", "adaptive", "openvino-cpu-fp32"),
                new DemoRun.DeviceSpec("openvino", "openvino-fp32", "FP32", "fixed", "openvino-cpu-fp32-fixed"),
                new DemoRun.DeviceSpec("openvino", "openvino-int8", "INT8", "adaptive", "openvino-cpu-int8"),
                new DemoRun.DeviceSpec("openvino", "openvino-int8", "INT8", "fixed", "openvino-cpu-int8-fixed"));
        assertThat(DemoRun.reference(devices)).isEqualTo("openvino-cpu-fp32");
    }

    @Test
    void anInvalidManifestStopsTheDemoWithTheManifestsOwnError() throws Exception {
        Path file = writeManifest("""
                {"id": "openvino-int4", "format": "openvino-ir", "precision": "INT4", "runtime": "openvino", %s}
                """.formatted(files()));

        assertThatThrownBy(() -> DemoRun.devicesFromManifest(models, List.of("openvino"), List.of("INT8"),
                List.of("adaptive")))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("artifact openvino-int4: precision must be one of FP32, FP16, INT8, is \"INT4\"");
    }

    private static String files() {
        return "\"files\": [{\"path\": \"m/model\", \"sha256\": \"%s\", \"bytes\": 1}], \"sha256\": \"%s\""
                .formatted(SHA, SHA);
    }

    private Path writeManifest(String artifacts) throws IOException {
        return Files.writeString(models.resolve("manifest.json"), """
                {"formatVersion": 1, "model": {"name": "m", "version": "1"},
                 "input": {"name": "image", "elementType": "u8", "layout": "NHWC", "shape": [-1, 32, 32, 3],
                           "colorOrder": "RGB",
                           "normalization": {"scale": 255, "mean": [0, 0, 0], "std": [1, 1, 1], "insideGraph": true}},
                 "output": {"name": "logits", "elementType": "f32", "shape": [-1, 2], "kind": "logits"},
                 "classNames": ["a", "b"],
                 "artifacts": [%s]}
                """.formatted(artifacts));
    }
}
