package dev.edgeinfer.edge.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.apps.EdgeConsumerLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device process killed with SIGKILL mid-stream and replaced by a new one with the same device id: no frame is lost,
 * and in exactly-once mode no frame has two committed predictions.
 */
class EdgeConsumerKillIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final int FRAMES = 2000;

    @TempDir
    Path logs;

    @Test
    void exactlyOnceSurvivesSigkillWithoutLossOrDuplicates() throws Exception {
        List<String> predicted = killMidStreamAndFinish("exactly-once");
        assertThat(predicted).doesNotHaveDuplicates().hasSize(FRAMES);
    }

    @Test
    void atLeastOnceSurvivesSigkillWithoutLoss() throws Exception {
        List<String> predicted = killMidStreamAndFinish("at-least-once");
        assertThat(Set.copyOf(predicted)).hasSize(FRAMES);
        assertThat(predicted.size()).isGreaterThanOrEqualTo(FRAMES);
    }

    /** Returns the frame ids of every committed prediction of the device type, duplicates included. */
    private List<String> killMidStreamAndFinish(String delivery) throws Exception {
        String run = delivery + "-" + UUID.randomUUID().toString().substring(0, 8);
        String framesTopic = "frames-kill-" + run;
        String deviceType = "kill-" + run;
        TopicSpec framesSpec = Topics.all().stream().filter(t -> t.name().equals(Topics.FRAMES)).findFirst().orElseThrow();
        try (Admin admin = LOCAL.stack().createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(
                    new TopicSpec(framesTopic, framesSpec.partitions(), framesSpec.replicationFactor(), framesSpec.configs())));
        }
        Set<String> sent = publish(framesTopic, TestFrames.cifarTest(FRAMES, run));

        AppProcess first = startDevice(run, delivery, framesTopic, deviceType, "first");
        try {
            waitForPredictions(deviceType, 300, Duration.ofSeconds(120), first);
            assertMetricsServed(logs.resolve("first.log"), deviceType);
        } finally {
            first.kill();
        }
        int beforeKill = readPredictions(deviceType, Duration.ofSeconds(2)).size();
        assertThat(beforeKill).as("predictions committed before the kill").isLessThan(FRAMES);

        AppProcess second = startDevice(run, delivery, framesTopic, deviceType, "second");
        try {
            waitForPredictions(deviceType, FRAMES, Duration.ofSeconds(180), second);
        } finally {
            assertThat(second.stop(Duration.ofSeconds(60))).as("device stops on SIGTERM").isTrue();
        }
        // SIGTERM: the loop finished what it had, committed and closed before the JVM exited.
        assertThat(Files.readString(logs.resolve("second.log"))).contains("stopping:");
        List<String> predicted = readPredictions(deviceType, Duration.ofSeconds(3));
        assertThat(Set.copyOf(predicted)).containsExactlyInAnyOrderElementsOf(sent);
        return predicted;
    }

    private AppProcess startDevice(String run, String delivery, String framesTopic, String deviceType, String name) throws Exception {
        String artifact = TestModels.fp32Artifact(ModelManifest.read(TestModels.modelsDir().resolve(ModelManifest.FILE_NAME)), "openvino");
        Apps apps = new Apps(Apps.repositoryRoot(), logs, LOCAL.stack().clientProperties());
        return apps.edgeConsumer(EdgeConsumerLaunch.device("device-" + run, deviceType).named(name).artifact("openvino", artifact)
                .modelsDir(TestModels.modelsDir()).framesTopic(framesTopic).delivery(delivery)
                .option("--max-batch", "8").option("--max-wait-ms", "20").metricsPort(0));
    }

    private void waitForPredictions(String deviceType, int count, Duration timeout, AppProcess process) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            Set<String> seen = new java.util.HashSet<>();
            AvroDeserializer<Prediction> deserializer = predictionDeserializer();
            while (seen.size() < count) {
                assertThat(process.isAlive()).as("device process alive; its log:%n%s", process.tail()).isTrue();
                assertThat(System.nanoTime()).as("%d of %d predictions within %s", seen.size(), count, timeout).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Prediction prediction = deserializer.deserialize(record);
                    if (prediction.getDeviceType().equals(deviceType)) {
                        seen.add(prediction.getFrameId());
                    }
                }
            }
        }
    }

    /** The device's Prometheus endpoint answers with its inference histogram and the Kafka client metrics. */
    private static void assertMetricsServed(Path log, String deviceType) throws Exception {
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("metrics at http://localhost:(\\d+)/metrics")
                .matcher(Files.readString(log));
        assertThat(port.find()).as("metrics port in the device log").isTrue();
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port.group(1) + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("edge_inference_seconds_bucket{device_type=\"" + deviceType + "\"")
                .contains("edge_frames_predicted_total{device_type=\"" + deviceType + "\"")
                .contains("kafka_consumer_fetch_manager_records_consumed_total")
                .contains("kafka_producer_record_send_total");
    }

    private List<String> readPredictions(String deviceType, Duration quiet) {
        List<String> ids = new ArrayList<>();
        AvroDeserializer<Prediction> deserializer = predictionDeserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            long until = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < until) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    until = System.nanoTime() + quiet.toNanos();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    Prediction prediction = deserializer.deserialize(record);
                    if (prediction.getDeviceType().equals(deviceType)) {
                        ids.add(prediction.getFrameId());
                    }
                }
            }
        }
        return ids;
    }

    private static AvroDeserializer<Prediction> predictionDeserializer() {
        AvroDeserializer<Prediction> deserializer = AvroDeserializer.forClass(Prediction.class);
        deserializer.configure(LOCAL.stack().clientProperties(), false);
        return deserializer;
    }

    private static KafkaConsumer<byte[], byte[]> reader() {
        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "kill-reader-" + UUID.randomUUID());
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.PREDICTIONS));
        return consumer;
    }

    private static Set<String> publish(String topic, List<ImageFrame> frames) throws Exception {
        Map<String, Object> configs = new HashMap<>(LOCAL.stack().clientProperties());
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer())) {
            for (ImageFrame frame : frames) {
                producer.send(new ProducerRecord<>(topic, frame.getFrameId(), serializer.serialize(topic, frame)));
            }
            producer.flush();
        }
        return frames.stream().map(ImageFrame::getFrameId).collect(Collectors.toSet());
    }
}
