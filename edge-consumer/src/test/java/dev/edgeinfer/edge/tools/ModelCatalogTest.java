package dev.edgeinfer.edge.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.manifest.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed CIFAR-10 artifacts brought in as if they were one's own, each run on its real engine. */
class ModelCatalogTest {

    private static final Path MODELS = Path.of("..", "models", "cifar10-resnet9q").toAbsolutePath().normalize();
    private static final List<String> CIFAR = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
            "ship", "truck");

    @TempDir
    Path dir;

    private static ModelCatalog.Contract contract(List<String> classes) {
        return new ModelCatalog.Contract("my-net", "0.1.0", classes, "cifar-10", "image", "u8", "NHWC", 32, 32, 255,
                List.of(0.4914, 0.4822, 0.4465), List.of(0.247, 0.2435, 0.2616), true, "logits", "logits");
    }

    @Test
    void addsAnOnnxModelToANewManifestThenAnOpenVinoIrAndALiteRtModelBesideIt() throws Exception {
        ModelCatalog catalog = new ModelCatalog();
        catalog.add(new ModelCatalog.Addition(dir, MODELS.resolve("onnx-int8/model.onnx"), "mine-onnx", Precision.INT8),
                contract(CIFAR));
        catalog.add(new ModelCatalog.Addition(dir, MODELS.resolve("openvino-fp32/model.xml"), "mine-ir", Precision.FP32), null);
        catalog.add(new ModelCatalog.Addition(dir, MODELS.resolve("litert-int8/model.tflite"), "mine-tflite", Precision.INT8),
                null);

        ModelManifest manifest = ModelManifest.read(dir.resolve(ModelManifest.FILE_NAME));
        assertThat(manifest.labelSet()).isEqualTo("cifar-10");
        assertThat(manifest.artifacts()).extracting(a -> a.id()).containsExactly("mine-onnx", "mine-ir", "mine-tflite");
        assertThat(manifest.artifact("mine-ir").files()).extracting(f -> f.path())
                .containsExactly("my-net/mine-ir/model.xml", "my-net/mine-ir/model.bin");
        for (var artifact : manifest.artifacts()) {
            assertThat(artifact.verifiedFiles(dir)).allMatch(Files::isRegularFile);
        }
    }

    @Test
    void refusesAModelWhoseScoresDoNotMatchTheClassNamesAndLeavesTheFolderAsItWas() throws Exception {
        assertThatThrownBy(() -> new ModelCatalog().add(new ModelCatalog.Addition(dir, MODELS.resolve("onnx-fp32/model.onnx"),
                "five", Precision.FP32), contract(CIFAR.subList(0, 5))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot run");
        assertThat(dir.resolve(ModelManifest.FILE_NAME)).doesNotExist();
        assertThat(dir.resolve("my-net/five")).doesNotExist();
        for (String model : List.of("openvino-fp32/model.xml", "litert-fp32/model.tflite")) {
            assertThatThrownBy(() -> new ModelCatalog().add(new ModelCatalog.Addition(dir, MODELS.resolve(model), "five",
                    Precision.FP32), contract(CIFAR.subList(0, 5)))).as(model).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot run");
        }
    }

    @Test
    void refusesWhatNoEngineRunsATakenIdAndAContractGivenTwice() throws Exception {
        Path pt = Files.writeString(dir.resolve("model.pt"), "not a model the engines run");
        assertThatThrownBy(() -> new ModelCatalog().add(new ModelCatalog.Addition(dir, pt, "pt", Precision.FP32), contract(CIFAR)))
                .hasMessageContaining("is not a model the engines run");
        Path models = dir.resolve("models");
        ModelCatalog catalog = new ModelCatalog();
        catalog.add(new ModelCatalog.Addition(models, MODELS.resolve("onnx-int8/model.onnx"), "a", Precision.INT8), contract(CIFAR));
        assertThatThrownBy(() -> catalog.add(new ModelCatalog.Addition(models, MODELS.resolve("onnx-fp32/model.onnx"), "a",
                Precision.FP32), null)).hasMessageContaining("artifact id a is taken");
        assertThatThrownBy(() -> catalog.add(new ModelCatalog.Addition(models, MODELS.resolve("onnx-fp32/model.onnx"), "b",
                Precision.FP32), contract(CIFAR))).hasMessageContaining("its contract");
    }
}
