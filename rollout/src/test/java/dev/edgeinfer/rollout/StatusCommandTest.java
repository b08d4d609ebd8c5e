package dev.edgeinfer.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.Accelerator;
import dev.edgeinfer.avro.ArtifactFileChunks;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.HostInfo;
import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.ModelUpdate;
import dev.edgeinfer.avro.ModelUpdateState;
import dev.edgeinfer.avro.Precision;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-08T06:00:00Z");

    private static ModelAssignment assignment(String cohort, int share, String version) {
        return ModelAssignment.newBuilder().setDeviceType("rpi5").setCohort(cohort).setSharePercent(share)
                .setModel(new ModelRef("net", version, "openvino-int8", Precision.INT8, "ab".repeat(32))).setRuntime("openvino")
                .setManifest("{}").setFiles(List.of(new ArtifactFileChunks("a", "cd".repeat(32), 1L, "t", 0, 0L, 1)))
                .setPublishedBy("ops@host").setPublishedTime(NOW.minusSeconds(60)).build();
    }

    private static DeviceHeartbeat device(String id, String version, ModelUpdate update) {
        return DeviceHeartbeat.newBuilder().setDeviceId(id).setDeviceType("rpi5").setEngine("openvino")
                .setAccelerator(new Accelerator("CPU", "cpu")).setModel(new ModelRef("net", version, "openvino-int8",
                        Precision.INT8, "ab".repeat(32)))
                .setHost(new HostInfo(id, "Linux", "aarch64", 4, 1L, "17")).setUptimeMillis(1L).setFramesProcessed(1L)
                .setFramesFailed(0L).setConsumerLag(0L).setSentTime(NOW.minusSeconds(4)).setModelUpdate(update).build();
    }

    @Test
    void printsEachTypesAssignmentsAndWhatEveryDeviceRunsAndFollows() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelUpdate failed = new ModelUpdate("rpi5#canary", "2", "ab".repeat(32), ModelUpdateState.FAILED, "no chunk 3", null,
                NOW);
        StatusCommand.print(new PrintStream(out, true, StandardCharsets.UTF_8),
                List.of(assignment(null, 100, "1"), assignment("canary", 100, "2")),
                List.of(device("pi-1", "1", failed), device("pi-2", "2", new ModelUpdate("rpi5#canary", "2", "ab".repeat(32),
                        ModelUpdateState.ACTIVE, null, 12L, NOW)), device("pi-3", "1", null)),
                null, NOW);
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(report).startsWith("rpi5\n").contains("assigned rpi5 ").contains("all devices")
                .contains("assigned rpi5#canary").contains("100% of devices")
                .contains("device pi-1 runs net 1 (openvino-int8), follows rpi5#canary: FAILED 2 of rpi5#canary: no chunk 3;"
                        + " heartbeat 4 s ago")
                .contains("device pi-2 runs net 2 (openvino-int8), follows rpi5#canary: ACTIVE 2 of rpi5#canary, swapped in 12 ms")
                .contains("device pi-3 runs net 1 (openvino-int8), follows rpi5#canary: no assignment seen");
    }

    @Test
    void saysWhenNoAssignmentIsInForce() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StatusCommand.print(new PrintStream(out, true, StandardCharsets.UTF_8), List.of(), List.of(), "rpi5", NOW);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("no model assignment in force for rpi5\n");
    }
}
