package dev.edgeinfer.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelDecision;
import dev.edgeinfer.avro.ModelUpdateState;
import dev.edgeinfer.avro.ModelVerdict;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.models.ModelTargets;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import dev.edgeinfer.testsupport.topics.CommittedTopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary judged by the real analytics on a real fleet of two devices, one in the cohort: a candidate with two classes
 * swapped (cat and dog, from {@code model/swap_classes.py}) is rolled back on its accuracy, and its device returns to the
 * incumbent; the same network under a new version is promoted, and both devices end on it. Each decision is a record.
 */
class CanaryIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final String ARTIFACT = "openvino-fp32";

    @TempDir
    Path work;

    @BeforeAll
    static void needsData() {
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        RolloutDrill.use(LOCAL.stack());
    }

    @Test
    void aBadCandidateIsRolledBackOnItsAccuracyAndAGoodOneIsPromoted() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String framesTopic = "frames-canary-" + run;
        String deviceType = "canary-" + run;
        RolloutDrill.createFramesTopic(framesTopic);
        Path modelsDir = Apps.repositoryRoot().resolve("models");
        String version = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME)).model().version();
        Path bad = swapClasses(modelsDir, version + "-swapped", work.resolve("bad"));
        Path good = RolloutDrill.newVersion(modelsDir, ARTIFACT, version + "-good", work.resolve("good"));
        // Two devices, one in a half-share cohort "canary" and one out of it.
        String inCohort = deviceId(run, true);
        String outOfCohort = deviceId(run, false);

        try (Apps apps = new Apps(Apps.repositoryRoot(), work.resolve("logs"), LOCAL.stack().clientProperties())) {
            int port = Apps.freePort();
            AppProcess analytics = apps.analytics("analytics", "canary-" + run, port, work.resolve("analytics-state"),
                    List.of());
            AnalyticsClient api = AnalyticsClient.onPort(port);
            api.awaitHealthy(analytics, Duration.ofSeconds(120));
            RolloutDrill.publish(modelsDir, ARTIFACT, deviceType); // the incumbent, which a rollback returns to
            List<AppProcess> devices = List.of(inCohort, outOfCohort).stream().map(id -> apps.edgeConsumer(
                    RolloutDrill.device(id, deviceType, ARTIFACT, framesTopic, work.resolve("cache-" + id))))
                    .toList();
            Apps.awaitDevicesReady(devices, Duration.ofSeconds(120));
            RolloutDrill.FrameStream stream = new RolloutDrill.FrameStream(framesTopic, run);
            stream.start();
            try {
                ModelDecision rollback = canary(bad, deviceType, api);
                assertThat(rollback.getDecision()).as(rollback.getReason()).isEqualTo(ModelVerdict.ROLLBACK);
                assertThat(rollback.getReason()).startsWith("accuracy dropped by");
                assertThat(rollback.getCandidateAccuracy()).isLessThan(rollback.getIncumbentAccuracy() - 0.05);
                assertThat(rollback.getCandidateFramesWithGroundTruth()).isGreaterThanOrEqualTo(500);
                // The cohort's device is back on the incumbent.
                RolloutDrill.awaitHeartbeat(deviceType, u -> u.getVersion().equals(version) && u.getTarget().equals(deviceType)
                        && u.getState() == ModelUpdateState.ACTIVE, devices.get(0));

                ModelDecision promote = canary(good, deviceType, api);
                assertThat(promote.getDecision()).as(promote.getReason()).isEqualTo(ModelVerdict.PROMOTE);
                for (AppProcess device : devices) {
                    device.awaitLog(java.util.regex.Pattern.compile("swapped to model cifar10-resnet9q " + version + "-good|"
                            + "assigns the model it runs already"), Duration.ofSeconds(120));
                }
            } finally {
                stream.finish();
            }
            List<ModelDecision> decisions = CommittedTopicReader.readAll(LOCAL.stack().clientProperties(),
                    Topics.MODEL_DECISIONS, ModelDecision.class, Duration.ofSeconds(30)).stream()
                    .filter(d -> d.getDeviceType().equals(deviceType)).toList();
            assertThat(decisions).extracting(ModelDecision::getDecision).containsExactly(ModelVerdict.ROLLBACK, ModelVerdict.PROMOTE);
            AvroDeserializer<ModelAssignment> assignments = AvroDeserializer.forClass(ModelAssignment.class);
            assignments.configure(LOCAL.stack().clientProperties(), false);
            var inForce = LatestByKey.read(LOCAL.stack().clientProperties(), Topics.MODELS, assignments, Duration.ofSeconds(30));
            assertThat(inForce.get(deviceType).getModel().getVersion()).isEqualTo(version + "-good");
            assertThat(inForce).doesNotContainKey(ModelTargets.key(deviceType, "canary"));
            List<Prediction> latest = RolloutDrill.awaitPredictions(deviceType, 1, devices.get(1));
            assertThat(latest).extracting(p -> p.getModel().getVersion()).contains(version + "-good", version + "-swapped");
        }
    }

    @Test
    void aShadowDeviceTypeThatDisagreesWithTheTypeMoreThanAllowedIsRolledBack() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String framesTopic = "frames-shadow-" + run;
        String deviceType = "fp32-" + run;
        String shadowType = "int8-shadow-" + run;
        RolloutDrill.createFramesTopic(framesTopic);
        Path modelsDir = Apps.repositoryRoot().resolve("models");
        String version = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME)).model().version();
        // The INT8 IR under a version of its own, tried on INT8 shadow devices beside the FP32 type.
        Path candidate = RolloutDrill.newVersion(modelsDir, "openvino-int8", version + "-int8", work.resolve("int8"));

        try (Apps apps = new Apps(Apps.repositoryRoot(), work.resolve("logs"), LOCAL.stack().clientProperties())) {
            int port = Apps.freePort();
            AppProcess analytics = apps.analytics("analytics", "shadow-" + run, port, work.resolve("analytics-state"), List.of());
            AnalyticsClient api = AnalyticsClient.onPort(port);
            api.awaitHealthy(analytics, Duration.ofSeconds(120));
            RolloutDrill.publish(modelsDir, ARTIFACT, deviceType);
            AppProcess device = apps.edgeConsumer(RolloutDrill.device("fp32-" + run, deviceType, ARTIFACT, framesTopic,
                    work.resolve("cache-fp32")));
            AppProcess shadow = apps.edgeConsumer(RolloutDrill.device("shadow-" + run, shadowType, "openvino-int8", framesTopic,
                    work.resolve("cache-shadow")));
            Apps.awaitDevicesReady(List.of(device, shadow), Duration.ofSeconds(120));
            RolloutDrill.FrameStream stream = new RolloutDrill.FrameStream(framesTopic, run);
            stream.start();
            ModelDecision decision;
            try {
                // INT8 and FP32 disagree on a percent or two of the frames: over a threshold of a tenth of a percent.
                decision = canary(new Canary.Trial(candidate, "openvino-int8", deviceType, null, 0, shadowType), api,
                        new CanaryJudge.Thresholds(0.05, 500, 5.0, 0.001));
            } finally {
                stream.finish();
            }
            assertThat(decision.getDecision()).as(decision.getReason()).isEqualTo(ModelVerdict.ROLLBACK);
            assertThat(decision.getReason()).startsWith("the shadow disagreed on");
            assertThat(decision.getShadowDeviceType()).isEqualTo(shadowType);
            assertThat(decision.getComparedFrames()).isGreaterThanOrEqualTo(500);
            assertThat(decision.getDisagreement()).isGreaterThan(0.001).isLessThan(0.05);
            AvroDeserializer<ModelAssignment> assignments = AvroDeserializer.forClass(ModelAssignment.class);
            assignments.configure(LOCAL.stack().clientProperties(), false);
            var inForce = LatestByKey.read(LOCAL.stack().clientProperties(), Topics.MODELS, assignments, Duration.ofSeconds(30));
            assertThat(inForce.get(deviceType).getModel().getVersion()).as("the type keeps its model").isEqualTo(version);
            assertThat(inForce).as("the shadow's assignment is withdrawn").doesNotContainKey(shadowType);
        }
    }

    private ModelDecision canary(Path candidate, String deviceType, AnalyticsClient api) throws Exception {
        return canary(new Canary.Trial(candidate, ARTIFACT, deviceType, "canary", 50, null), api,
                new CanaryJudge.Thresholds(0.05, 500, 5.0, 0.05));
    }

    private ModelDecision canary(Canary.Trial trial, AnalyticsClient api, CanaryJudge.Thresholds thresholds) throws Exception {
        AvroDeserializer<ModelAssignment> assignments = AvroDeserializer.forClass(ModelAssignment.class);
        assignments.configure(LOCAL.stack().clientProperties(), false);
        var inForce = LatestByKey.read(LOCAL.stack().clientProperties(), Topics.MODELS, assignments, Duration.ofSeconds(30));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (KafkaProducer<String, SpecificRecord> producer = PublishCommand.producer(LOCAL.stack().clientProperties())) {
            producer.initTransactions();
            Canary canary = new Canary(new ModelPublisher(producer, Clock.systemUTC(), "CanaryIT", Topics.MODEL_CHUNK_BYTES),
                    new CanaryJudge(thresholds), Clock.systemUTC(), "CanaryIT",
                    new PrintStream(log, true, StandardCharsets.UTF_8));
            ModelDecision decision =
                    canary.run(trial, inForce.values(), new Canary.Watch(api, "15m", Duration.ofSeconds(2), Duration.ofMinutes(3)));
            System.out.print(log.toString(StandardCharsets.UTF_8));
            return decision;
        }
    }

    /** A device id in (or out of) the half-share cohort "canary". */
    private static String deviceId(String run, boolean in) {
        return IntStream.range(0, 1000).mapToObj(i -> "device-" + run + "-" + i)
                .filter(id -> (ModelTargets.bucket("canary", id) < 50) == in).findFirst().orElseThrow();
    }

    /** The toolchain's bad candidate: the FP32 IR with cat and dog swapped, under its own model version. */
    private static Path swapClasses(Path modelsDir, String version, Path out) throws Exception {
        Path root = Apps.repositoryRoot();
        Process process = new ProcessBuilder(root.resolve(".venv/bin/python").toString(),
                root.resolve("model/swap_classes.py").toString(), "--models-dir", modelsDir.toString(), "--artifact", ARTIFACT,
                "--classes", "cat,dog", "--version", version, "--out", out.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("swap_classes.py: %s", output).isZero();
        return out;
    }
}
