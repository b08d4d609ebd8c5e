package dev.edgeinfer.it.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.analytics.DeviceTypeSummary;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.Apps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three images' {@code /app} folders, built by the script their Dockerfiles run, started without Docker through
 * their ENTRYPOINT with EDGEINFER_* variables, against the local stack: the producer sends generated frames, the
 * edge consumer classifies them with OpenVINO from the layout's own natives, and analytics serves the device type.
 * This is as close to running the images as a machine without a Docker engine gets; what it cannot show is the
 * base image and the other architecture (see docs/deployment.md).
 */
class ImageLayoutIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final String DEVICE_TYPE = "layout-openvino-cpu-int8";
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : started) {
            ImageLayout.stop(process);
        }
    }

    @Test
    void eachImageLayoutsEntrypointRunsItsAppAgainstTheStack() throws Exception {
        DeploymentFiles files = DeploymentFiles.find();
        Path work = files.root().resolve("integration-tests/target/image-layout-it");
        // A fresh folder per run: state left by an earlier run (analytics' stores) belongs to a stack that is gone.
        ImageLayout.deleteRecursively(work);
        Path logs = Files.createDirectories(work.resolve("logs"));
        ImageLayout producer = ImageLayout.build(files, "producer", work.resolve("producer"));
        ImageLayout edge = ImageLayout.build(files, "edge-consumer", work.resolve("edge-consumer"));
        ImageLayout analytics = ImageLayout.build(files, "analytics", work.resolve("analytics"));
        assertThat(edge.home().resolve("models/manifest.json")).isRegularFile();
        assertThat(edge.home().resolve("openvino")).isDirectoryContaining("glob:**/libopenvino_c.so*");
        assertThat(edge.home().resolve("litert/libLiteRt.so")).isRegularFile();
        assertThat(edge.home().resolve("litert")).isDirectoryRecursivelyContaining("glob:**/ai_edge_litert-*.dist-info/METADATA");
        try (var metadata = Files.find(edge.home().resolve("litert"), 2, (path, attributes) -> path.endsWith("METADATA"))) {
            assertThat(Files.readString(metadata.findFirst().orElseThrow()))
                    .contains("Version: " + dev.edgeinfer.litert.LiteRtLibrary.PINNED_VERSION);
        }

        LocalStack stack = LOCAL.stack();
        int httpPort = Apps.freePort();
        Map<String, String> analyticsEnv = environment(files, "analytics", stack);
        analyticsEnv.put("EDGEINFER_STATE_DIR", Files.createDirectories(work.resolve("analytics-state")).toString());
        analyticsEnv.put("EDGEINFER_HTTP_PORT", Integer.toString(httpPort));
        analyticsEnv.put("EDGEINFER_ADVERTISED_HOST", "127.0.0.1");
        analyticsEnv.put("EDGEINFER_REFERENCE_DEVICE_TYPE", DEVICE_TYPE);
        Path analyticsLog = logs.resolve("analytics.log");
        started.add(analytics.start(analyticsEnv, List.of(), analyticsLog));

        Map<String, String> edgeEnv = environment(files, "edge-consumer", stack);
        edgeEnv.put("EDGEINFER_ENGINE", "openvino");
        edgeEnv.put("EDGEINFER_PRECISION", "INT8");
        edgeEnv.put("EDGEINFER_DEVICE_TYPE", DEVICE_TYPE);
        edgeEnv.put("EDGEINFER_DEVICE_ID", "layout-device-1");
        edgeEnv.put("EDGEINFER_METRICS_PORT", "-1");
        edgeEnv.put("EDGEINFER_CREATE_TOPICS", "false");
        Path edgeLog = logs.resolve("edge-consumer.log");
        Process edgeProcess = edge.start(edgeEnv, List.of(), edgeLog);
        started.add(edgeProcess);

        int frames = PipelineCheck.writeFrames(Files.createDirectories(work.resolve("frames")), 2, 7);
        Map<String, String> producerEnv = environment(files, "producer", stack);
        producerEnv.put("EDGEINFER_SOURCE", "dir:" + work.resolve("frames"));
        producerEnv.put("EDGEINFER_PRODUCER_ID", "layout-camera");
        Path producerLog = logs.resolve("producer.log");
        // The flag the module script takes, as an argument after the environment's options, as `docker run` appends.
        Process producerProcess = producer.start(producerEnv, List.of("--fps", "50"), producerLog);
        started.add(producerProcess);
        assertThat(producerProcess.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .as("producer finished:\n%s", ImageLayout.tail(producerLog)).isTrue();
        assertThat(producerProcess.exitValue()).as("producer exit status:\n%s", ImageLayout.tail(producerLog)).isZero();

        Set<String> predicted = PipelineCheck.predictedFrames(stack.clientProperties(), DEVICE_TYPE, frames, PATIENCE);
        assertThat(predicted).as("frames predicted by the edge layout:\n%s", ImageLayout.tail(edgeLog)).hasSize(frames);
        assertThat(Files.readString(edgeLog)).contains("entrypoint: options from the environment:")
                .contains("ready: openvino " + dev.edgeinfer.openvino.OpenVinoLibrary.PINNED_VERSION).doesNotContain("Exception");
        // The natives are the layout's own (the entry point names them in OPENVINO_LIB_DIR), not the project's .venv
        // that the loader would otherwise find above this folder. The entry point exec's java, so the pid is the JVM's.
        assertThat(Files.readString(Path.of("/proc", Long.toString(edgeProcess.pid()), "maps")))
                .contains(edge.home().resolve("openvino").toRealPath() + "/libopenvino_c.so")
                .doesNotContain(".venv");
        // The image's CPU_SCHEDULING=batch: chrt exec's java in turn, so the JVM itself runs under SCHED_BATCH
        // (policy 3, field 41 of its stat).
        String[] stat = Files.readString(Path.of("/proc", Long.toString(edgeProcess.pid()), "stat")).split("\\) ", 2)[1].split(" ");
        assertThat(stat[41 - 3]).as("scheduling policy of the edge consumer's JVM").isEqualTo("3");

        AnalyticsClient api = AnalyticsClient.onPort(httpPort);
        // Until its HTTP server listens, a connection is refused: that is waited out, not a failure.
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            assertThat(edgeProcess.isAlive()).as("edge consumer alive").isTrue();
            assertThat(api.deviceTypes()).as("analytics:\n%s", ImageLayout.tail(analyticsLog)).hasValueSatisfying(
                    types -> assertThat(types.deviceTypes()).extracting(DeviceTypeSummary::deviceType).contains(DEVICE_TYPE));
        });
    }

    /**
     * The image's own EDGEINFER_* and CPU_SCHEDULING settings, then the stack's address, as a compose service's env file
     * gives it.
     */
    private static Map<String, String> environment(DeploymentFiles files, String app, LocalStack stack) {
        Map<String, String> environment = new HashMap<>(files.imageEnvironment(app));
        environment.put("EDGEINFER_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        environment.put("EDGEINFER_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        environment.put("JAVA_OPTS", "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        return environment;
    }
}
