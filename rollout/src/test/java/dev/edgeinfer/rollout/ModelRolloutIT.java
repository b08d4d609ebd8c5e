package dev.edgeinfer.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.ModelUpdate;
import dev.edgeinfer.avro.ModelUpdateState;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.manifest.ArtifactFile;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.apps.EdgeConsumerLaunch;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import dev.edgeinfer.testsupport.topics.CommittedTopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
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
    /** Frames a stream sends at most. */
    private static final int FRAMES = 6000;

    @TempDir
    Path work;

    @BeforeAll
    static void needsData() {
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
    }

    @Test
    void aDeviceSwapsToAPublishedModelUnderLoadWithoutLosingOrRepeatingAFrame() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String framesTopic = "frames-rollout-" + run;
        String deviceType = "rollout-" + run;
        createFramesTopic(framesTopic);
        Path modelsDir = Apps.repositoryRoot().resolve("models");
        String before = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME)).model().version();
        Path candidate = newVersion(modelsDir, ARTIFACT, before + "-r2");

        try (Apps apps = new Apps(Apps.repositoryRoot(), work.resolve("logs"), LOCAL.stack().clientProperties())) {
            AppProcess device = apps.edgeConsumer(EdgeConsumerLaunch.device("device-" + run, deviceType)
                    .artifact("openvino", ARTIFACT).modelsDir(modelsDir).framesTopic(framesTopic)
                    .option("--max-batch", "8").option("--heartbeat-interval-ms", "500")
                    .option("--model-cache-dir", work.resolve("cache").toString()));
            Apps.awaitDeviceReady(device, Duration.ofSeconds(120));
            // Frames keep coming, about 300 a second, from before the publication to after the swap.
            FrameStream stream = new FrameStream(framesTopic, run, FRAMES);
            stream.start();
            awaitPredictions(deviceType, 300, device);
            // And a backlog of 3,000 at once: the device is busy with them when the new model is ready.
            List<String> backlog = publishFrames(framesTopic, run + "-backlog", 0, 3000);
            publish(candidate, ARTIFACT, deviceType);
            device.awaitLog(Pattern.compile("swapped to model"), Duration.ofSeconds(120));
            Thread.sleep(2000);
            List<String> sent = new ArrayList<>(stream.finish());
            sent.addAll(backlog);
            List<Prediction> predictions = awaitPredictions(deviceType, sent.size(), device);

            assertThat(predictions).extracting(Prediction::getFrameId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(sent);
            Map<String, Long> byVersion = predictions.stream()
                    .collect(Collectors.groupingBy(p -> p.getModel().getVersion(), Collectors.counting()));
            assertThat(byVersion).containsOnlyKeys(before, before + "-r2");
            assertThat(byVersion.get(before + "-r2")).as("frames predicted by the new model").isPositive();
            assertOneSwap(predictions, before);

            ModelUpdate update = awaitHeartbeat(deviceType, u -> u.getState() == ModelUpdateState.ACTIVE, device).getModelUpdate();
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
        createFramesTopic(framesTopic);
        Path modelsDir = Apps.repositoryRoot().resolve("models");
        String before = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME)).model().version();
        Path candidate = newVersion(modelsDir, ARTIFACT, before + "-k2");

        try (Apps apps = new Apps(Apps.repositoryRoot(), work.resolve("logs"), LOCAL.stack().clientProperties())) {
            EdgeConsumerLaunch launch = EdgeConsumerLaunch.device("device-kill-" + run, deviceType).artifact("openvino", ARTIFACT)
                    .modelsDir(modelsDir).framesTopic(framesTopic).option("--max-batch", "8")
                    .option("--heartbeat-interval-ms", "500").option("--model-cache-dir", work.resolve("cache").toString());
            AppProcess first = apps.edgeConsumer(launch.named("first"));
            Apps.awaitDeviceReady(first, Duration.ofSeconds(120));
            FrameStream stream = new FrameStream(framesTopic, run, FRAMES);
            stream.start();
            awaitPredictions(deviceType, 300, first);
            publish(candidate, ARTIFACT, deviceType);
            // SIGKILL the moment the new model is ready: the loop is draining to swap, or has just swapped.
            first.awaitLog(Pattern.compile("ready in \\d+ ms; swapping"), Duration.ofSeconds(120));
            first.kill();

            AppProcess second = apps.edgeConsumer(launch.named("second"));
            second.awaitLog(Pattern.compile("swapped to model"), Duration.ofSeconds(120));
            Thread.sleep(2000);
            List<String> sent = stream.finish();
            List<Prediction> predictions = awaitPredictions(deviceType, sent.size(), second);

            assertThat(predictions).extracting(Prediction::getFrameId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(sent);
            assertThat(predictions).extracting(p -> p.getModel().getVersion()).contains(before + "-k2");
            ModelUpdate update = awaitHeartbeat(deviceType, u -> u.getState() == ModelUpdateState.ACTIVE, second).getModelUpdate();
            assertThat(update.getVersion()).isEqualTo(before + "-k2");
            assertThat(second.stop(Duration.ofSeconds(60))).isTrue();
        }
    }

    @Test
    void aModelTheDeviceCannotRunLeavesTheCurrentOneSaidInItsHeartbeatAndADeadLetter() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String framesTopic = "frames-rollout-bad-" + run;
        String deviceType = "rollout-bad-" + run;
        createFramesTopic(framesTopic);
        Path modelsDir = Apps.repositoryRoot().resolve("models");
        String version = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME)).model().version();

        try (Apps apps = new Apps(Apps.repositoryRoot(), work.resolve("logs"), LOCAL.stack().clientProperties())) {
            AppProcess device = apps.edgeConsumer(EdgeConsumerLaunch.device("device-bad-" + run, deviceType)
                    .artifact("openvino", ARTIFACT).modelsDir(modelsDir).framesTopic(framesTopic)
                    .option("--max-batch", "8").option("--heartbeat-interval-ms", "500")
                    .option("--model-cache-dir", work.resolve("cache").toString()));
            Apps.awaitDeviceReady(device, Duration.ofSeconds(120));
            // An ONNX Runtime artifact for an OpenVINO device.
            publish(modelsDir, "onnx-int8", deviceType);
            List<String> sent = publishFrames(framesTopic, run, 0, 400);

            ModelUpdate update = awaitHeartbeat(deviceType, u -> u.getState() == ModelUpdateState.FAILED, device).getModelUpdate();
            assertThat(update.getReason()).contains("the model is for onnxruntime, this device runs openvino")
                    .contains("keeps its current model").contains(Topics.MODELS);
            List<Prediction> predictions = awaitPredictions(deviceType, sent.size(), device);
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

    private static void createFramesTopic(String topic) throws Exception {
        TopicSpec frames = Topics.spec(Topics.FRAMES);
        try (Admin admin = LOCAL.stack().createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(
                    new TopicSpec(topic, frames.partitions(), frames.replicationFactor(), frames.configs())));
        }
    }

    /** A models folder holding one artifact of {@code modelsDir} under another model version: a new release to roll out. */
    private Path newVersion(Path modelsDir, String artifactId, String version) throws Exception {
        Path dir = work.resolve("candidate");
        String manifest = ModelPublisher.manifestOf(modelsDir.resolve(ModelManifest.FILE_NAME), artifactId);
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(manifest);
        ((ObjectNode) root.get("model")).put("version", version);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), root.toPrettyString());
        for (ArtifactFile file : ModelManifest.read(dir.resolve(ModelManifest.FILE_NAME)).artifact(artifactId).files()) {
            Files.createDirectories(dir.resolve(file.path()).getParent());
            Files.copy(modelsDir.resolve(file.path()), dir.resolve(file.path()));
        }
        return dir;
    }

    private static void publish(Path modelsDir, String artifactId, String deviceType) throws Exception {
        try (KafkaProducer<String, SpecificRecord> producer = PublishCommand.producer(LOCAL.stack().clientProperties())) {
            producer.initTransactions();
            new ModelPublisher(producer, Clock.systemUTC(), "ModelRolloutIT", Topics.MODEL_CHUNK_BYTES)
                    .publish(new ModelPublisher.Publication(modelsDir, artifactId, deviceType, null, 100));
        }
    }

    private static List<String> publishFrames(String topic, String run, int first, int count) {
        List<ImageFrame> frames = Cifar10Frames.frames(first + count, "rollout-" + run, run + "-").subList(first, first + count);
        try (KafkaProducer<String, ImageFrame> producer = frameProducer()) {
            for (ImageFrame frame : frames) {
                producer.send(new ProducerRecord<>(topic, frame.getFrameId(), frame));
            }
        }
        return frames.stream().map(ImageFrame::getFrameId).toList();
    }

    private static KafkaProducer<String, ImageFrame> frameProducer() {
        Map<String, Object> configs = new HashMap<>(LOCAL.stack().clientProperties());
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerializer<ImageFrame> values = new AvroSerializer<>();
        values.configure(LOCAL.stack().clientProperties(), false);
        return new KafkaProducer<>(configs, new StringSerializer(), values);
    }

    /** Sends frames at about 300 a second on a thread of its own until finished. */
    private static final class FrameStream extends Thread {
        private final String topic;
        private final List<ImageFrame> frames;
        private final List<String> sent = new ArrayList<>();
        private volatile boolean running = true;
        private volatile RuntimeException failure;

        FrameStream(String topic, String run, int most) {
            super("rollout-frames");
            this.topic = topic;
            this.frames = Cifar10Frames.frames(most, "rollout-" + run, run + "-");
        }

        @Override
        public void run() {
            try (KafkaProducer<String, ImageFrame> producer = frameProducer()) {
                for (ImageFrame frame : frames) {
                    if (!running) {
                        break;
                    }
                    producer.send(new ProducerRecord<>(topic, frame.getFrameId(), frame));
                    sent.add(frame.getFrameId());
                    if (sent.size() % 30 == 0) {
                        producer.flush();
                        Thread.sleep(100);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        /** Stops, and returns the ids of every frame sent, all acknowledged. */
        List<String> finish() throws InterruptedException {
            running = false;
            join(Duration.ofSeconds(60).toMillis());
            if (failure != null) {
                throw failure;
            }
            assertThat(sent.size()).as("frames sent before the stream ran out").isLessThan(frames.size());
            return List.copyOf(sent);
        }
    }

    private static List<Prediction> awaitPredictions(String deviceType, int count, AppProcess device) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            List<Prediction> mine = CommittedTopicReader.readAll(LOCAL.stack().clientProperties(), Topics.PREDICTIONS,
                    Prediction.class, Duration.ofSeconds(60)).stream().filter(p -> p.getDeviceType().equals(deviceType)).toList();
            if (mine.size() >= count) {
                return mine;
            }
            assertThat(device.isAlive()).as("device alive; its log:%n%s", device.tail()).isTrue();
            assertThat(System.nanoTime()).as("%d of %d predictions in time", mine.size(), count).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static DeviceHeartbeat awaitHeartbeat(String deviceType, java.util.function.Predicate<ModelUpdate> wanted,
                                                  AppProcess device)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Map<String, DeviceHeartbeat> latest = new LinkedHashMap<>();
            CommittedTopicReader.readAll(LOCAL.stack().clientProperties(), Topics.HEARTBEATS, DeviceHeartbeat.class,
                    Duration.ofSeconds(60)).stream().filter(h -> h.getDeviceType().equals(deviceType))
                    .forEach(h -> latest.put(h.getDeviceId(), h));
            Optional<DeviceHeartbeat> found = latest.values().stream()
                    .filter(h -> h.getModelUpdate() != null && wanted.test(h.getModelUpdate())).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            assertThat(device.isAlive()).as("device alive; its log:%n%s", device.tail()).isTrue();
            assertThat(System.nanoTime()).as("heartbeat in time; device log:%n%s", device.tail()).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    static Set<String> ids(List<Prediction> predictions) {
        return predictions.stream().map(Prediction::getFrameId).collect(Collectors.toSet());
    }
}
