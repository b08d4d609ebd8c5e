package dev.edgeinfer.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelUpdate;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStack;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the rollout tests share: frames in, models published, predictions and heartbeats read, on the local stack. */
final class RolloutDrill {

    private static LocalStack stack;

    private RolloutDrill() {
    }

    /** The stack the helpers use: the test class's. */
    static void use(LocalStack localStack) {
        stack = localStack;
    }

    private static LocalStack stack() {
        return stack;
    }

    static void createFramesTopic(String topic) throws Exception {
        TopicSpec frames = Topics.spec(Topics.FRAMES);
        try (Admin admin = stack().createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(
                    new TopicSpec(topic, frames.partitions(), frames.replicationFactor(), frames.configs())));
        }
    }

    /** A models folder holding one artifact of {@code modelsDir} under another model version: a new release to roll out. */
    static Path newVersion(Path modelsDir, String artifactId, String version, Path dir) throws Exception {
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

    static ModelAssignment publish(Path modelsDir, String artifactId, String deviceType) throws Exception {
        try (KafkaProducer<String, SpecificRecord> producer = PublishCommand.producer(stack().clientProperties())) {
            producer.initTransactions();
            return new ModelPublisher(producer, Clock.systemUTC(), "rollout-test", Topics.MODEL_CHUNK_BYTES)
                    .publish(new ModelPublisher.Publication(modelsDir, artifactId, deviceType, null, 100));
        }
    }

    static List<String> publishFrames(String topic, String run, int first, int count) {
        List<ImageFrame> frames = Cifar10Frames.frames(first + count, "rollout-" + run, run + "-").subList(first, first + count);
        try (KafkaProducer<String, ImageFrame> producer = frameProducer()) {
            for (ImageFrame frame : frames) {
                producer.send(new ProducerRecord<>(topic, frame.getFrameId(), frame));
            }
        }
        return frames.stream().map(ImageFrame::getFrameId).toList();
    }

    static KafkaProducer<String, ImageFrame> frameProducer() {
        Map<String, Object> configs = new HashMap<>(stack().clientProperties());
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerializer<ImageFrame> values = new AvroSerializer<>();
        values.configure(stack().clientProperties(), false);
        return new KafkaProducer<>(configs, new StringSerializer(), values);
    }

    /** Sends frames at about 300 a second on a thread of its own until finished. */
    /** Sends CIFAR-10 test frames, ground truth included, at about 300 a second on a thread of its own until finished. */
    static final class FrameStream extends Thread {
        private static final int BATCH = 1000;

        private final String topic;
        private final String run;
        private final List<String> sent = new ArrayList<>();
        private volatile boolean running = true;
        private volatile RuntimeException failure;

        FrameStream(String topic, String run) {
            super("rollout-frames");
            this.topic = topic;
            this.run = run;
        }

        @Override
        public void run() {
            try (KafkaProducer<String, ImageFrame> producer = frameProducer()) {
                for (int batch = 0; running; batch++) {
                    // A thousand at a time, ids unique across batches: a long stream never holds more in memory.
                    for (ImageFrame frame : Cifar10Frames.frames(BATCH, "rollout-" + run, run + "-" + batch + "-")) {
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
            return List.copyOf(sent);
        }
    }

    /**
     * A device of the project's models folder that follows the models topic: batches of 8, a heartbeat every 500 ms (what
     * the tests read its model updates from), its model cache in {@code cache}.
     */
    static EdgeConsumerLaunch device(String id, String deviceType, String artifact, String framesTopic, Path cache) {
        return EdgeConsumerLaunch.device(id, deviceType).named(id).artifact("openvino", artifact)
                .modelsDir(Apps.repositoryRoot().resolve("models")).framesTopic(framesTopic).option("--max-batch", "8")
                .option("--heartbeat-interval-ms", "500").option("--model-cache-dir", cache.toString());
    }

    static List<Prediction> awaitPredictions(String deviceType, int count, AppProcess device) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            List<Prediction> mine = CommittedTopicReader.readAll(stack().clientProperties(), Topics.PREDICTIONS,
                    Prediction.class, Duration.ofSeconds(60)).stream().filter(p -> p.getDeviceType().equals(deviceType)).toList();
            if (mine.size() >= count) {
                return mine;
            }
            assertThat(device.isAlive()).as("device alive; its log:%n%s", device.tail()).isTrue();
            assertThat(System.nanoTime()).as("%d of %d predictions in time", mine.size(), count).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    static DeviceHeartbeat awaitHeartbeat(String deviceType, java.util.function.Predicate<ModelUpdate> wanted,
                                          AppProcess device)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Map<String, DeviceHeartbeat> latest = new LinkedHashMap<>();
            CommittedTopicReader.readAll(stack().clientProperties(), Topics.HEARTBEATS, DeviceHeartbeat.class,
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
