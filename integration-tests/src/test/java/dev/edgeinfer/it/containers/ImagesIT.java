package dev.edgeinfer.it.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.schemas.analytics.DeviceTypeSummary;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The three images themselves, as compose.yaml runs them: configured only by EDGEINFER_* variables, as a user
 * without privileges, against Kafka and the registry in containers. The images must have been built first
 * (docs/deployment.md); name their tag with {@code -Dedgeinfer.images=<tag>} (e.g. {@code latest}) and optionally
 * the name prefix with {@code -Dedgeinfer.images.prefix} (default {@code edgeinfer/}). Without the property, or
 * without a Docker engine, JUnit reports it skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
@EnabledIfSystemProperty(named = "edgeinfer.images", matches = ".+",
        disabledReason = "the images are not built here; build them and pass -Dedgeinfer.images=<tag>")
class ImagesIT {

    static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = KafkaContainerPipelineIT.kafka(NETWORK);

    @Container
    static final GenericContainer<?> REGISTRY = KafkaContainerPipelineIT.registry(NETWORK);

    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Test
    void imagesRunThePipelineConfiguredByEnvironmentVariablesOnly() throws Exception {
        Path frames = Files.createTempDirectory("frames");
        int count = PipelineCheck.writeFrames(frames, 3, 13);
        Map<String, String> cluster = Map.of(
                "EDGEINFER_BOOTSTRAP_SERVERS", "kafka:19092",
                "EDGEINFER_SCHEMA_REGISTRY_URL", "http://registry:8080/apis/ccompat/v7");

        try (GenericContainer<?> analytics = app("analytics").withEnv(cluster)
                .withEnv(Map.of("EDGEINFER_ADVERTISED_HOST", "analytics", "EDGEINFER_REFERENCE_DEVICE_TYPE", "images-openvino-cpu-int8"))
                .withNetworkAliases("analytics").withExposedPorts(7070)
                .waitingFor(Wait.forHttp("/api/device-types").forStatusCode(200).withStartupTimeout(PATIENCE));
             GenericContainer<?> openvino = edge("images-openvino-cpu-int8", "openvino").withEnv(cluster);
             GenericContainer<?> onnxruntime = edge("images-onnxruntime-cpu-int8", "onnxruntime").withEnv(cluster);
             GenericContainer<?> producer = app("producer").withEnv(cluster)
                     .withEnv(Map.of("EDGEINFER_SOURCE", "dir:/frames", "EDGEINFER_FPS", "50"))
                     .withCopyFileToContainer(MountableFile.forHostPath(frames), "/frames")
                     .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(PATIENCE))) {
            analytics.start();
            openvino.start();
            onnxruntime.start();
            assertThat(openvino.execInContainer("id", "-u").getStdout().strip()).as("the image's user").isEqualTo("10001");
            producer.start();

            Map<String, Object> client = KafkaContainerPipelineIT.clientProperties();
            for (String deviceType : Set.of("images-openvino-cpu-int8", "images-onnxruntime-cpu-int8")) {
                assertThat(PipelineCheck.predictedFrames(client, deviceType, count, PATIENCE)).as(deviceType).hasSize(count);
            }
            AnalyticsClient api =
                    new AnalyticsClient(URI.create("http://" + analytics.getHost() + ":" + analytics.getMappedPort(7070) + "/"));
            assertThat(api.deviceTypes().orElseThrow().deviceTypes()).extracting(DeviceTypeSummary::deviceType)
                    .contains("images-openvino-cpu-int8", "images-onnxruntime-cpu-int8");
        }
    }

    private static GenericContainer<?> app(String app) {
        String image = System.getProperty("edgeinfer.images.prefix", "edgeinfer/") + app + ":" + System.getProperty("edgeinfer.images");
        return new GenericContainer<>(DockerImageName.parse(image)).withNetwork(NETWORK);
    }

    private static GenericContainer<?> edge(String deviceType, String engine) {
        return app("edge-consumer").withEnv(Map.of(
                "EDGEINFER_DEVICE_TYPE", deviceType,
                "EDGEINFER_DEVICE_ID", deviceType + "-1",
                "EDGEINFER_ENGINE", engine,
                "EDGEINFER_PRECISION", "INT8"))
                .waitingFor(Wait.forLogMessage(".*device " + deviceType + "-1 of type .* ready.*", 1).withStartupTimeout(PATIENCE));
    }
}
