package dev.edgeinfer.edge.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EngineConfigTest {
    @Test
    void emptyPropertiesGiveTheDefaults() {
        EngineConfig config = EngineConfig.fromProperties(new Properties());
        assertThat(config).isEqualTo(new EngineConfig(EngineKind.OPENVINO, Path.of("models"), "openvino-int8", "CPU",
                "LATENCY", OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), 2, 32, 3));
    }

    @Test
    void givenValuesWinAndAreNormalized() {
        Properties p = new Properties();
        p.setProperty(EngineConfig.ENGINE, "ONNXRuntime");
        p.setProperty(EngineConfig.ARTIFACT, "onnx-fp32");
        p.setProperty(EngineConfig.DEVICE, "cuda");
        p.setProperty(EngineConfig.PERFORMANCE_HINT, "throughput");
        p.setProperty(EngineConfig.NUM_STREAMS, "4");
        p.setProperty(EngineConfig.INFERENCE_PRECISION_HINT, "F16");
        p.setProperty(EngineConfig.REQUESTS_IN_FLIGHT, "8");
        p.setProperty(EngineConfig.NUM_THREADS, " 2 ");
        EngineConfig config = EngineConfig.fromProperties(p);
        assertThat(config.engine()).isEqualTo(EngineKind.ONNXRUNTIME);
        assertThat(config.device()).isEqualTo("CUDA");
        assertThat(config.performanceHint()).isEqualTo("THROUGHPUT");
        assertThat(config.numStreams()).hasValue(4);
        assertThat(config.inferencePrecisionHint()).contains("f16");
        assertThat(config.requestsInFlight()).isEqualTo(8);
        assertThat(config.numThreads()).hasValue(2);
        assertThat(p).doesNotContainKey(EngineConfig.MAX_BATCH);
    }

    @Test
    void invalidValuesNameTheirKey() {
        Properties p = new Properties();
        p.setProperty(EngineConfig.MAX_BATCH, "lots");
        assertThatThrownBy(() -> EngineConfig.fromProperties(p)).hasMessageContaining(EngineConfig.MAX_BATCH);
        p.setProperty(EngineConfig.MAX_BATCH, "4");
        p.setProperty(EngineConfig.ENGINE, "tflite");
        assertThatThrownBy(() -> EngineConfig.fromProperties(p)).hasMessageContaining("openvino, onnxruntime or litert");
        p.setProperty(EngineConfig.ENGINE, "LiteRT");
        assertThat(EngineConfig.fromProperties(p).engine()).isEqualTo(EngineKind.LITERT);
        p.setProperty(EngineConfig.NUM_THREADS, "0");
        assertThatThrownBy(() -> EngineConfig.fromProperties(p)).hasMessageContaining(EngineConfig.NUM_THREADS);
        p.remove(EngineConfig.NUM_THREADS);
        p.setProperty(EngineConfig.ENGINE, "openvino");
        p.setProperty(EngineConfig.PERFORMANCE_HINT, "FAST");
        assertThatThrownBy(() -> EngineConfig.fromProperties(p)).hasMessageContaining(EngineConfig.PERFORMANCE_HINT);
    }
}
