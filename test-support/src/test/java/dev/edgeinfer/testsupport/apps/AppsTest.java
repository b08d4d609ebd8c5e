package dev.edgeinfer.testsupport.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppsTest {

    @TempDir
    Path dir;

    @Test
    void anEdgeConsumerGetsTheDefaultsOnceAndALaterValueReplacesAnEarlierOne() {
        List<String> args = EdgeConsumerLaunch.device("pi-1", "rpi-int8").delivery("at-least-once")
                .artifact("onnxruntime", "onnx-int8").option("--max-batch", "64").option("--max-batch", "8")
                .args(Path.of("models"));

        assertThat(args).containsExactly("--device-id", "pi-1", "--device-type", "rpi-int8", "--no-create-topics",
                "--engine", "onnxruntime", "--artifact", "onnx-int8", "--delivery", "at-least-once", "--metrics-port", "-1",
                "--max-batch", "8", "--models-dir", "models");
    }

    @Test
    void theSharedClientSettingsAreWrittenOnceForEveryApp() throws Exception {
        Apps apps = new Apps(dir, dir.resolve("logs"), Map.of("bootstrap.servers", "broker:9092", "linger.ms", 5));

        Properties written = new Properties();
        try (var reader = Files.newBufferedReader(apps.clientFile())) {
            written.load(reader);
        }
        assertThat(written).containsOnly(Map.entry("bootstrap.servers", "broker:9092"), Map.entry("linger.ms", "5"));
    }

    @Test
    void aRelativeLogsFolderIsMadeAbsoluteForTheAppsThatRunInTheRepositoryRoot() throws Exception {
        Path relative = Path.of("target", "apps-test-" + System.nanoTime());
        try {
            Apps apps = new Apps(dir, relative, Map.of("bootstrap.servers", "broker:9092"));

            assertThat(apps.logs()).isAbsolute();
            assertThat(apps.clientFile()).isAbsolute().exists();
        } finally {
            Files.deleteIfExists(relative.resolve("client.properties"));
            Files.deleteIfExists(relative);
        }
    }

    @Test
    void appsWithoutSharedSettingsRefuseToStartOneWithoutItsOwn() throws Exception {
        Apps apps = new Apps(dir, dir.resolve("logs"));

        assertThatThrownBy(() -> apps.producer("camera", List.of("--count", "1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("camera");
    }

    @Test
    void anAppWhoseModuleIsNotBuiltSaysSo() throws Exception {
        Apps apps = new Apps(dir, dir.resolve("logs"), Map.of());

        assertThatThrownBy(() -> apps.producer("camera", List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Module producer is not built");
    }
}
