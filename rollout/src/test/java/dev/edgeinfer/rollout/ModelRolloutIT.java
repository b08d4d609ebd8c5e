package dev.edgeinfer.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ModelUpdate;
import dev.edgeinfer.avro.ModelUpdateState;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.apps.EdgeConsumerLaunch;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import dev.edgeinfer.testsupport.topics.CommittedTopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model rolled out through Kafka to a real device process on a real broker: published while frames stream in, the
 * device swaps between two transactions with no frame lost or predicted twice and a pause under a second; a model it
 * cannot run leaves the old one running, said in its heartbeat and a dead letter.
 */
class ModelRolloutIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final String ARTIFACT = "openvino-int8";

    @TempDir
    Path work;

    @BeforeAll
    static void needsData() {
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        RolloutDrill.use(LOCAL.stack());
    }

    @Test
    void aDeviceSwapsToAPublishedModelUnderLoadWithoutLosingOrRepeatingAFrame() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String framesTopic = "frames-rollout-" + run;
        String deviceType = "rollout-" + run;
        RolloutDrill.createFramesTopic(framesTopic);
        Path modelsDir = Apps.repositoryRoot().resolve("models");
        String before = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME)).model().version();
        Path candidate = RolloutDrill.newVersion(modelsDir, ARTIFACT, before + "-r2", work.resolve("candidate"));

        try (Apps apps = new Apps(Apps.repositoryRoot(), work.resolve("logs"), LOCAL.stack().clientProperties())) {
            AppProcess device = apps.edgeConsumer(RolloutDrill.device("device-" + run, deviceType, ARTIFACT, framesTopic,
                    work.resolve("cache")));
            Apps.awaitDeviceReady(device, Duration.ofSeconds(120));
            // Frames keep coming, about 300 a second, from before the publication to after the swap.
            RolloutDrill.FrameStream stream = new RolloutDrill.FrameStream(framesTopic, run);
            stream.start();
            RolloutDrill.awaitPredictions(deviceType, 300, device);
            // And a backlog of 3,000 at once: the device is busy with them when the new model is ready.
            List<String> backlog = RolloutDrill.publishFrames(framesTopic, run + "-backlog", 0, 3000);
            RolloutDrill.publish(candidate, ARTIFACT, deviceType);
            device.awaitLog(Pattern.compile("swapped to model"), Duration.ofSeconds(120));
            Thread.sleep(2000);
            List<String> sent = new ArrayList<>(stream.finish());
            sent.addAll(backlog);
            List<Prediction> predictions = RolloutDrill.awaitPredictions(deviceType, sent.size(), device);

            assertThat(predictions).extracting(Prediction::getFrameId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(sent);
            Map<String, Long> byVersion = predictions.stream()
                    .collect(Collectors.groupingBy(p -> p.getModel().getVersion(), Collectors.counting()));
            assertThat(byVersion).containsOnlyKeys(before, before + "-r2");
            assertThat(byVersion.get(before + "-r2")).as("frames predicted by the new model").isPositive();
            assertOneSwap(predictions, before);

            ModelUpdate update =
                    RolloutDrill.awaitHeartbeat(deviceType, u -> u.getState() == ModelUpdateState.ACTIVE, device).getModelUpdate();
            assertThat(update.getVersion()).isEqualTo(before + "-r2");
            System.out.printf("swap under load: %d predictions by %s, %d by %s, %d ms without classifying%n",
                    byVersion.get(before), before, byVersion.get(before + "-r2"), before + "-r2", update.getSwapPauseMillis());
            assertThat(update.getSwapPauseMillis()).as("milliseconds without classifying during the swap").isLessThan(1000L);
            assertThat(device.stop(Duration.ofSeconds(60))).isTrue();
        }
    }

    @Test
    void aDeviceKilledAsItSwapsModelsLosesAndRepeatsNoFrameAndItsSuccessorFinishesTheSwap() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String framesTopic = "frames-rollout-kill-" + run;
        String deviceType = "rollout-kill-" + run;
        RolloutDrill.createFramesTopic(framesTopic);
        Path modelsDir = Apps.repositoryRoot().resolve("models");
        String before = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME)).model().version();
        Path candidate = RolloutDrill.newVersion(modelsDir, ARTIFACT, before + "-k2", work.resolve("candidate"));

        try (Apps apps = new Apps(Apps.repositoryRoot(), work.resolve("logs"), LOCAL.stack().clientProperties())) {
            EdgeConsumerLaunch launch = RolloutDrill.device("device-kill-" + run, deviceType, ARTIFACT, framesTopic,
                    work.resolve("cache"));
            AppProcess first = apps.edgeConsumer(launch.named("first"));
            Apps.awaitDeviceReady(first, Duration.ofSeconds(120));
            RolloutDrill.FrameStream stream = new RolloutDrill.FrameStream(framesTopic, run);
            stream.start();
            RolloutDrill.awaitPredictions(deviceType, 300, first);
            RolloutDrill.publish(candidate, ARTIFACT, deviceType);
            // SIGKILL the moment the new model is ready: the loop is draining to swap, or has just swapped.
            first.awaitLog(Pattern.compile("ready in \\d+ ms; swapping"), Duration.ofSeconds(120));
            first.kill();

            AppProcess second = apps.edgeConsumer(launch.named("second"));
            second.awaitLog(Pattern.compile("swapped to model"), Duration.ofSeconds(120));
            Thread.sleep(2000);
            List<String> sent = stream.finish();
            List<Prediction> predictions = RolloutDrill.awaitPredictions(deviceType, sent.size(), second);

            assertThat(predictions).extracting(Prediction::getFrameId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(sent);
            assertThat(predictions).extracting(p -> p.getModel().getVersion()).contains(before + "-k2");
            ModelUpdate update =
                    RolloutDrill.awaitHeartbeat(deviceType, u -> u.getState() == ModelUpdateState.ACTIVE, second).getModelUpdate();
            assertThat(update.getVersion()).isEqualTo(before + "-k2");
            assertThat(second.stop(Duration.ofSeconds(60))).isTrue();
        }
    }

    @Test
    void aModelTheDeviceCannotRunLeavesTheCurrentOneSaidInItsHeartbeatAndADeadLetter() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String framesTopic = "frames-rollout-bad-" + run;
        String deviceType = "rollout-bad-" + run;
        RolloutDrill.createFramesTopic(framesTopic);
        Path modelsDir = Apps.repositoryRoot().resolve("models");
        String version = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME)).model().version();

        try (Apps apps = new Apps(Apps.repositoryRoot(), work.resolve("logs"), LOCAL.stack().clientProperties())) {
            AppProcess device = apps.edgeConsumer(RolloutDrill.device("device-bad-" + run, deviceType, ARTIFACT, framesTopic,
                    work.resolve("cache")));
            Apps.awaitDeviceReady(device, Duration.ofSeconds(120));
            // An ONNX Runtime artifact for an OpenVINO device.
            RolloutDrill.publish(modelsDir, "onnx-int8", deviceType);
            List<String> sent = RolloutDrill.publishFrames(framesTopic, run, 0, 400);

            ModelUpdate update =
                    RolloutDrill.awaitHeartbeat(deviceType, u -> u.getState() == ModelUpdateState.FAILED, device).getModelUpdate();
            assertThat(update.getReason()).contains("the model is for onnxruntime, this device runs openvino")
                    .contains("keeps its current model").contains(Topics.MODELS);
            List<Prediction> predictions = RolloutDrill.awaitPredictions(deviceType, sent.size(), device);
            assertThat(predictions).extracting(p -> p.getModel().getArtifactId()).containsOnly(ARTIFACT);
            assertThat(predictions).extracting(p -> p.getModel().getVersion()).containsOnly(version);
            List<DeadLetter> letters = CommittedTopicReader.readAll(LOCAL.stack().clientProperties(), Topics.DEAD_LETTERS,
                    DeadLetter.class, Duration.ofSeconds(30)).stream()
                    .filter(l -> deviceType.equals(l.getDeviceType()) && l.getStage() == FailureStage.MODEL).toList();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).getOriginalTopic()).isEqualTo(Topics.MODELS);
            assertThat(letters.get(0).getReason()).isEqualTo(update.getReason());
            assertThat(device.stop(Duration.ofSeconds(60))).isTrue();
        }
    }

    /** Every prediction of the old model was handed to the producer before the first of the new one (device clock). */
    private static void assertOneSwap(List<Prediction> predictions, String before) {
        Instant lastOld = predictions.stream().filter(p -> p.getModel().getVersion().equals(before))
                .map(Prediction::getPublishTime).max(Instant::compareTo).orElseThrow();
        Instant firstNew = predictions.stream().filter(p -> !p.getModel().getVersion().equals(before))
                .map(Prediction::getPublishTime).min(Instant::compareTo).orElseThrow();
        assertThat(lastOld).as("last prediction of the old model, against the first of the new").isBeforeOrEqualTo(firstNew);
    }

}
