package dev.edgeinfer.edge.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.edge.EdgeConsumerApp;
import dev.edgeinfer.edge.engine.EngineConfig;
import dev.edgeinfer.edge.engine.EngineTestSupport;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.InferenceEngines;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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

/**
 * The device loop on the real broker and registry with the real engine and the committed models: every good frame
 * gets exactly one committed prediction, every bad one a dead letter with its bytes and reason, in both delivery modes.
 */
class EdgeConsumerIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final int GOOD = 1000;

    @Test
    void exactlyOnceGivesEachGoodFrameOnePredictionAndEachBadOneADeadLetter() throws Exception {
        runAndCheck(DeliveryMode.EXACTLY_ONCE, "openvino");
    }

    @Test
    void atLeastOnceWithOnnxRuntimeLosesNothing() throws Exception {
        runAndCheck(DeliveryMode.AT_LEAST_ONCE, "onnxruntime");
    }

    @Test
    void exactlyOnceWithLiteRtGivesEachGoodFrameOnePrediction() throws Exception {
        EngineTestSupport.assumeLiteRtPresent();
        runAndCheck(DeliveryMode.EXACTLY_ONCE, "litert");
    }

    private void runAndCheck(DeliveryMode mode, String engineName) throws Exception {
        String run = mode.name().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path modelsDir = TestModels.modelsDir();
        ModelManifest manifest = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME));
        String artifact = TestModels.fp32Artifact(manifest, engineName);

        // Each test reads its own frames topic, so its device sees exactly the frames it sent.
        String framesTopic = "frames-" + run;
        TopicSpec framesSpec = Topics.all().stream().filter(t -> t.name().equals(Topics.FRAMES)).findFirst().orElseThrow();
        try (Admin admin = LOCAL.stack().createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(
                    new TopicSpec(framesTopic, framesSpec.partitions(), framesSpec.replicationFactor(), framesSpec.configs())));
        }
        List<ImageFrame> good = TestFrames.cifarTest(GOOD, run);
        Map<String, byte[]> sent = publish(framesTopic, good, badFrames(run));

        Properties engineProps = new Properties();
        engineProps.setProperty(EngineConfig.ENGINE, engineName);
        engineProps.setProperty(EngineConfig.MODELS_DIR, modelsDir.toString());
        engineProps.setProperty(EngineConfig.ARTIFACT, artifact);
        engineProps.setProperty(EngineConfig.MAX_BATCH, "8");
        engineProps.setProperty(EngineConfig.REQUESTS_IN_FLIGHT, "2");
        String deviceType = engineName + "-it-" + run;
        try (InferenceEngine engine = InferenceEngines.open(EngineConfig.fromProperties(engineProps))) {
            EdgeConsumerSettings settings = new EdgeConsumerSettings("device-" + run, deviceType, mode, Batching.ADAPTIVE, 32,
                    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1), framesTopic, Topics.PREDICTIONS,
                    Topics.DEAD_LETTERS, Topics.HEARTBEATS);
            EdgeConsumer loop = EdgeConsumerApp.buildLoop(settings, LOCAL.stack().clientProperties(),
                    EdgeConsumerSettings.defaultGroupId(deviceType), engine, manifest, ModelHandOff.NONE,
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Clock.systemUTC(), Ticker.SYSTEM);
            Thread thread = new Thread(loop, "edge-loop-" + run);
            thread.start();
            try {
                List<Prediction> predictions = readUntil(Topics.PREDICTIONS, Prediction.class,
                        p -> p.getDeviceType().equals(deviceType), GOOD);
                List<DeadLetter> deadLetters = readUntil(Topics.DEAD_LETTERS, DeadLetter.class,
                        d -> deviceType.equals(d.getDeviceType()), BAD_COUNT);
                checkPredictions(predictions, good, manifest, artifact, deviceType);
                checkDeadLetters(deadLetters, sent, framesTopic);
                assertThat(loop.framesProcessed()).isEqualTo(GOOD);
                assertThat(loop.framesFailed()).isEqualTo(BAD_COUNT);
            } finally {
                loop.stop();
                assertThat(loop.awaitStopped(Duration.ofSeconds(30))).isTrue();
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    private static void checkPredictions(List<Prediction> predictions, List<ImageFrame> good, ModelManifest manifest,
                                         String artifact, String deviceType) {
        Map<String, ImageFrame> byId = good.stream().collect(Collectors.toMap(ImageFrame::getFrameId, Function.identity()));
        assertThat(predictions).extracting(Prediction::getFrameId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(byId.keySet());
        Artifact loaded = manifest.artifacts().stream().filter(a -> a.id().equals(artifact)).findFirst().orElseThrow();
        long correct = 0;
        for (Prediction prediction : predictions) {
            ImageFrame frame = byId.get(prediction.getFrameId());
            assertThat(prediction.getGroundTruth()).isEqualTo(frame.getGroundTruth());
            assertThat(prediction.getModel().getSha256()).isEqualTo(loaded.sha256());
            assertThat(prediction.getModel().getArtifactId()).isEqualTo(artifact);
            assertThat(prediction.getModel().getPrecision().name()).isEqualTo(loaded.precision().manifestName());
            assertThat(prediction.getPredictedLabel()).isEqualTo(manifest.classNames().get(prediction.getPredictedClass()));
            assertThat(prediction.getTopK().get(0).getClassIndex()).isEqualTo(prediction.getPredictedClass());
            assertThat(prediction.getTimings().getInferenceMicros()).isPositive();
            assertThat(prediction.getTimings().getTotalOnDeviceMicros())
                    .isGreaterThanOrEqualTo(prediction.getTimings().getInferenceMicros());
            assertThat(prediction.getBatchSize()).isBetween(1, 8);
            assertThat(prediction.getFrameTimestamp().toEpochMilli()).isPositive();
            assertThat(prediction.getDeviceType()).isEqualTo(deviceType);
            if (prediction.getPredictedClass() == prediction.getGroundTruth()) {
                correct++;
            }
        }
        TestModels.assertAccuracyMatchesManifest(loaded, correct, predictions.size());
    }

    private static final int BAD_COUNT = 7;

    /** Seven kinds of bad records, each keyed by the stage it must fail in. */
    private static Map<String, byte[]> badFrames(String run) throws Exception {
        AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
        byte[] valid = serializer.serialize(Topics.FRAMES, TestFrames.raw(run + "-template", 32, 32, new byte[3072], 1, null, null));
        Map<String, byte[]> bad = new LinkedHashMap<>();
        byte[] random = new byte[600];
        new java.util.Random(7).nextBytes(random);
        random[0] = 0x42;
        bad.put(run + "-random:" + FailureStage.DESERIALIZE, random);
        byte[] wrongMagic = valid.clone();
        wrongMagic[0] = 9;
        bad.put(run + "-magic:" + FailureStage.DESERIALIZE, wrongMagic);
        byte[] unknownId = valid.clone();
        ByteBuffer.wrap(unknownId, 1, 4).putInt(424_242);
        bad.put(run + "-unknown-id:" + FailureStage.DESERIALIZE, unknownId);
        bad.put(run + "-truncated:" + FailureStage.DESERIALIZE, Arrays.copyOf(valid, valid.length / 2));
        bad.put(run + "-dimensions:" + FailureStage.VALIDATE,
                serializer.serialize(Topics.FRAMES, TestFrames.raw(run + "-dimensions", 32, 32, new byte[1000], null, null, null)));
        bad.put(run + "-corrupt-png:" + FailureStage.DECODE, serializer.serialize(Topics.FRAMES,
                TestFrames.encoded(run + "-corrupt-png", PixelEncoding.PNG, 32, 32, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10})));
        bad.put(run + "-truth:" + FailureStage.VALIDATE,
                serializer.serialize(Topics.FRAMES, TestFrames.raw(run + "-truth", 32, 32, new byte[3072], 42, null, null)));
        return bad;
    }

    /** Publishes good frames and bad records interleaved; returns every value sent by key. */
    private static Map<String, byte[]> publish(String topic, List<ImageFrame> good, Map<String, byte[]> bad) throws Exception {
        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
        Map<String, byte[]> sent = new HashMap<>();
        List<Map.Entry<String, byte[]>> badRecords = new ArrayList<>(bad.entrySet());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < good.size(); i++) {
                ImageFrame frame = good.get(i);
                byte[] value = serializer.serialize(topic, frame);
                producer.send(new ProducerRecord<>(topic, frame.getFrameId(), value));
                sent.put(frame.getFrameId(), value);
                if (i % 40 == 0 && !badRecords.isEmpty()) {
                    Map.Entry<String, byte[]> entry = badRecords.remove(0);
                    producer.send(new ProducerRecord<>(topic, entry.getKey(), entry.getValue()));
                    sent.put(entry.getKey(), entry.getValue());
                }
            }
            for (Map.Entry<String, byte[]> entry : badRecords) {
                producer.send(new ProducerRecord<>(topic, entry.getKey(), entry.getValue()));
                sent.put(entry.getKey(), entry.getValue());
            }
            producer.flush();
        }
        return sent;
    }

    private static void checkDeadLetters(List<DeadLetter> deadLetters, Map<String, byte[]> sent, String topic) {
        assertThat(deadLetters).hasSize(BAD_COUNT);
        for (DeadLetter letter : deadLetters) {
            String key = new String(bytes(letter.getOriginalKey()), java.nio.charset.StandardCharsets.UTF_8);
            String expectedStage = key.substring(key.lastIndexOf(':') + 1);
            assertThat(letter.getStage().name()).as("stage of %s: %s", key, letter.getReason()).isEqualTo(expectedStage);
            assertThat(bytes(letter.getOriginalValue())).isEqualTo(sent.get(key));
            assertThat(letter.getOriginalTopic()).isEqualTo(topic);
            assertThat(letter.getReason()).contains(topic + "-" + letter.getOriginalPartition() + "@" + letter.getOriginalOffset());
            assertThat(letter.getErrorClass()).isNotBlank();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> readUntil(String topic, Class<T> type,
                                                                                         java.util.function.Predicate<T> mine,
                                                                                         int expected) {
        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroDeserializer<T> deserializer = AvroDeserializer.forClass(type);
        deserializer.configure(LOCAL.stack().clientProperties(), false);
        List<T> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    T value = deserializer.deserialize(record);
                    if (mine.test(value)) {
                        records.add(value);
                    }
                }
                if (records.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    // Keep reading a little longer, so a duplicate would be seen.
                    quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                }
            }
        }
        return records;
    }
}
