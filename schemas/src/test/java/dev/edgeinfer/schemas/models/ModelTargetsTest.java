package dev.edgeinfer.schemas.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.ArtifactFileChunks;
import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.Precision;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ModelTargetsTest {

    static ModelAssignment assignment(String type, String cohort, int share, String version) {
        return assignment(type, cohort, share, version,
                List.of(new ArtifactFileChunks("a/model.xml", "cd".repeat(32), 10L, "t", 0, 0L, 1)));
    }

    static ModelAssignment assignment(String type, String cohort, int share, String version, List<ArtifactFileChunks> files) {
        return ModelAssignment.newBuilder().setDeviceType(type).setCohort(cohort).setSharePercent(share)
                .setModel(new ModelRef("m", version, "openvino-int8", Precision.INT8, "ab".repeat(32)))
                .setRuntime("openvino").setManifest("{}")
                .setFiles(files)
                .setPublishedBy("test").setPublishedTime(Instant.EPOCH).build();
    }

    @Test
    void keysNameTheDeviceTypeAndTheCohort() {
        assertThat(ModelTargets.key(assignment("rpi5", null, 100, "1"))).isEqualTo("rpi5");
        assertThat(ModelTargets.key(assignment("rpi5", "canary", 10, "1"))).isEqualTo("rpi5#canary");
    }

    @Test
    void aCohortHoldsAboutItsShareOfDevicesAndGrowingItKeepsThoseItHad() {
        List<String> devices = IntStream.range(0, 2000).mapToObj(i -> "device-" + i).toList();
        long inTen = devices.stream().filter(d -> ModelTargets.includes(assignment("t", "canary", 10, "2"), d)).count();
        assertThat(inTen).isBetween(150L, 250L);
        assertThat(devices).filteredOn(d -> ModelTargets.includes(assignment("t", "canary", 10, "2"), d))
                .allMatch(d -> ModelTargets.includes(assignment("t", "canary", 50, "2"), d));
        // The rule as any language computes it, e.g. Python:
        // int.from_bytes(hashlib.sha256(b"canary/device-1").digest()[:4], "big") % 100 == 45
        assertThat(ModelTargets.bucket("canary", "device-1")).isEqualTo(45);
        assertThat(ModelTargets.bucket("canary", "device-2")).isEqualTo(85);
    }

    @Test
    void aDeviceFollowsTheFirstCohortThatHoldsItElseItsTypesAssignment() {
        ModelAssignment base = assignment("t", null, 100, "1");
        ModelAssignment all = assignment("t", "canary", 100, "2");
        ModelAssignment none = assignment("t", "a-none", 1, "3");
        ModelAssignment other = assignment("other", null, 100, "9");
        String device = IntStream.range(0, 1000).mapToObj(i -> "d" + i)
                .filter(d -> ModelTargets.bucket("a-none", d) >= 1).findFirst().orElseThrow();
        assertThat(ModelTargets.applicable(List.of(base, all, none, other), "t", device)).contains(all);
        assertThat(ModelTargets.applicable(List.of(base, none, other), "t", device)).contains(base);
        assertThat(ModelTargets.applicable(List.of(other), "t", device)).isEmpty();
    }

    @Test
    void namesWhatMakesAnAssignmentImpossibleToFollow() {
        assertThat(ModelTargets.problem(assignment("t", null, 100, "1"))).isEmpty();
        assertThat(ModelTargets.problem(assignment("t", null, 50, "1"))).get().asString().contains("without a cohort");
        assertThat(ModelTargets.problem(assignment("t", "c", 0, "1"))).get().asString().contains("outside 1..100");
        assertThat(ModelTargets.problem(assignment("t", null, 100, "1", List.of())))
                .get().asString().contains("no file");
    }
}
