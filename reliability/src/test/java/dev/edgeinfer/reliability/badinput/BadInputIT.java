package dev.edgeinfer.reliability.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.reliability.topics.RunTopics;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.apps.EdgeConsumerLaunch;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input against the real broker, registry and edge consumer process: generated bad frames of every
 * {@link BadFrameKind}, mixed with CIFAR-10 test frames, go to a frames topic; the device, running as its own process in
 * either delivery mode, must stay up, dead-letter every bad frame once with its untouched bytes, its origin and the reason of
 * its kind, predict every good frame once, and stop cleanly on SIGTERM.
 *
 * <p>The numbers of frames are system properties: {@code badinput.bad} (default 10,000), {@code badinput.good}
 * (default 2,000), {@code badinput.seed}, {@code badinput.timeout.minutes}; {@code bench/reliability/bad-input.sh}
 * runs it with other numbers or seeds. Most of its time is the local stack and the device starting: the 10,000 bad
 * frames themselves take the device well under a minute.
 */
class BadInputIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final int BAD = Integer.getInteger("badinput.bad", 10_000);
    private static final int GOOD = Integer.getInteger("badinput.good", 2_000);
    private static final long SEED = Long.getLong("badinput.seed", 20_261_129L);
    private static final Duration DEVICE_TIMEOUT = Duration.ofMinutes(Long.getLong("badinput.timeout.minutes", 10));
    private static final Pattern SERDE_KIND = Pattern.compile(": ([A-Z_]+) in topic ");
    private static final Pattern STOPPING = Pattern.compile("stopping: (\\d+) frames predicted, (\\d+) dead-lettered");
    /**
     * A JVM ended by SIGTERM exits with 128 + 15 once its shutdown hooks ran, however cleanly they finished (the
     * "stopping" line with the device's counts shows they did); 137 would mean it had to be killed.
     */
    private static final int SIGTERM_STATUS = 143;

    @TempDir
    Path logs;

    /** One record sent to the frames topic: a good frame or a bad one, and where it landed. */
    private record Sent(String key, byte[] value, ImageFrame good, BadFrame bad, int partition, long offset) {
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exactly-once", "at-least-once"})
    void badFramesAreDeadLetteredWithTheirReasonAndGoodFramesPredictedWhileTheDeviceStaysUp(String delivery) throws Exception {
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String framesTopic = "frames-" + run;
        String deviceType = "bad-input-" + run;
        RunTopics.create(LOCAL.stack(), Topics.spec(Topics.FRAMES).named(framesTopic));

        long publishStart = System.nanoTime();
        List<Sent> sent = publish(framesTopic, Cifar10Frames.frames(GOOD, "bad-input-test", run + "-cifar-"));
        Duration publishing = Duration.ofNanos(System.nanoTime() - publishStart);

        long deviceStart = System.nanoTime();
        AppProcess device = startDevice(run, framesTopic, deviceType, delivery);
        int status;
        try {
            awaitOutputs(device, deviceType);
        } finally {
            device.close();
        }
        Duration processing = Duration.ofNanos(System.nanoTime() - deviceStart);
        status = device.waitFor(Duration.ofSeconds(5));
        String log = Files.readString(device.log());
        assertThat(status).as("exit status after SIGTERM; log:%n%s", device.tail()).isEqualTo(SIGTERM_STATUS);
        Matcher stopping = STOPPING.matcher(log);
        assertThat(stopping.find()).as("the loop finished and logged its counts; log:%n%s", device.tail()).isTrue();
        assertThat(log).as("no bad frame made a transaction fail").doesNotContain("rewound to retry");

        List<Prediction> predictions = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        readCommitted(deviceType, predictions, deadLetters);
        checkPredictions(predictions, sent);
        checkDeadLetters(deadLetters, sent, framesTopic);
        assertThat(predictions.size() + deadLetters.size()).isEqualTo(sent.size());
        assertThat(Long.parseLong(stopping.group(1))).isEqualTo(GOOD);
        assertThat(Long.parseLong(stopping.group(2))).isEqualTo(BAD);

        System.out.printf("bad input: sent %d good + %d bad frames (%s) in %d s; device %s: %d predictions, "
                + "%d dead letters (%s), exit status %d after SIGTERM, %d s from start to the last output%n",
                GOOD, BAD, tally(sent.stream().filter(s -> s.bad() != null).map(s -> s.bad().kind().name())),
                publishing.toSeconds(), delivery, predictions.size(), deadLetters.size(),
                tally(deadLetters.stream().map(BadInputIT::reasonKind)), status, processing.toSeconds());
    }

    /**
     * Good frames through the serializer (first, so their schema is the subject's first version), bad ones as raw
     * bytes, in a seeded shuffle, compressed: the 20 MiB frame of zeros fits the topic only that way.
     */
    private static List<Sent> publish(String topic, List<ImageFrame> good) throws Exception {
        AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
        List<Sent> records = new ArrayList<>(GOOD + BAD);
        for (ImageFrame frame : good) {
            records.add(new Sent(frame.getFrameId(), serializer.serialize(topic, frame), frame, null, -1, -1));
        }
        for (BadFrame bad : new BadFrameGenerator(SEED, topic, LOCAL.stack().clientProperties()).generate(BAD)) {
            records.add(new Sent(bad.key(), bad.value(), null, bad, -1, -1));
        }
        Collections.shuffle(records, new Random(SEED));

        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Kafka's producer refuses records over 1 MiB by default; the test sends up to 20 MiB uncompressed.
        configs.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024);
        configs.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer())) {
            for (Sent record : records) {
                acks.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
            }
            producer.flush();
        }
        List<Sent> landed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Sent record = records.get(i);
            RecordMetadata where = acks.get(i).get();
            landed.add(new Sent(record.key(), record.value(), record.good(), record.bad(), where.partition(), where.offset()));
        }
        return landed;
    }

    private AppProcess startDevice(String run, String framesTopic, String deviceType, String delivery) throws Exception {
        Apps apps = new Apps(Apps.repositoryRoot(), logs, LOCAL.stack().clientProperties());
        return apps.edgeConsumer(EdgeConsumerLaunch.device("device-" + run, deviceType).framesTopic(framesTopic).delivery(delivery));
    }

    /** Reads committed outputs until the device has written one per frame sent; the device must be alive throughout. */
    private static void awaitOutputs(AppProcess device, String deviceType) {
        long deadline = System.nanoTime() + DEVICE_TIMEOUT.toNanos();
        AvroDeserializer<Prediction> predictions = deserializer(Prediction.class);
        AvroDeserializer<DeadLetter> deadLetters = deserializer(DeadLetter.class);
        int predicted = 0;
        int deadLettered = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader()) {
            consumer.subscribe(List.of(Topics.PREDICTIONS, Topics.DEAD_LETTERS));
            while (predicted < GOOD || deadLettered < BAD) {
                assertThat(device.isAlive()).as("device alive; its log:%n%s", device.tail()).isTrue();
                assertThat(System.nanoTime()).as("%d of %d predictions and %d of %d dead letters within %s; device log:%n%s",
                        predicted, GOOD, deadLettered, BAD, DEVICE_TIMEOUT, device.tail()).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.topic().equals(Topics.PREDICTIONS)) {
                        predicted += deviceType.equals(predictions.deserialize(record).getDeviceType()) ? 1 : 0;
                    } else {
                        deadLettered += deviceType.equals(deadLetters.deserialize(record).getDeviceType()) ? 1 : 0;
                    }
                }
            }
        }
        assertThat(device.isAlive()).as("device alive after the last output; its log:%n%s", device.tail()).isTrue();
    }

    /** Everything committed on the output topics by the device type, read to the end of every partition. */
    private static void readCommitted(String deviceType, List<Prediction> predictions, List<DeadLetter> deadLetters) {
        AvroDeserializer<Prediction> predictionReader = deserializer(Prediction.class);
        AvroDeserializer<DeadLetter> deadLetterReader = deserializer(DeadLetter.class);
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.PREDICTIONS, Topics.DEAD_LETTERS)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.topic().equals(Topics.PREDICTIONS)) {
                        Prediction prediction = predictionReader.deserialize(record);
                        if (deviceType.equals(prediction.getDeviceType())) {
                            predictions.add(prediction);
                        }
                    } else {
                        DeadLetter letter = deadLetterReader.deserialize(record);
                        if (deviceType.equals(letter.getDeviceType())) {
                            deadLetters.add(letter);
                        }
                    }
                }
            }
        }
    }

    private static void checkPredictions(List<Prediction> predictions, List<Sent> sent) {
        Map<String, ImageFrame> good = sent.stream().filter(s -> s.good() != null)
                .collect(Collectors.toMap(Sent::key, Sent::good));
        assertThat(predictions).extracting(Prediction::getFrameId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(good.keySet());
        for (Prediction prediction : predictions) {
            assertThat(prediction.getGroundTruth()).isEqualTo(good.get(prediction.getFrameId()).getGroundTruth());
            assertThat(prediction.getPredictedClass()).isBetween(0, 9);
        }
    }

    private static void checkDeadLetters(List<DeadLetter> deadLetters, List<Sent> sent, String framesTopic) {
        Map<String, Sent> byPosition = new HashMap<>();
        sent.forEach(s -> byPosition.put(s.partition() + "@" + s.offset(), s));
        Map<String, DeadLetter> seen = new HashMap<>();
        for (DeadLetter letter : deadLetters) {
            String position = letter.getOriginalPartition() + "@" + letter.getOriginalOffset();
            assertThat(letter.getOriginalTopic()).isEqualTo(framesTopic);
            assertThat(seen.put(position, letter)).as("second dead letter for %s: %s", position, letter.getReason()).isNull();
            Sent origin = byPosition.get(position);
            assertThat(origin).as("record at %s", position).isNotNull();
            BadFrame bad = origin.bad();
            assertThat(bad).as("a good frame was dead-lettered: %s", letter.getReason()).isNotNull();
            assertThat(letter.getStage()).as("stage for %s: %s", bad, letter.getReason()).isEqualTo(bad.expectedStage());
            assertThat(letter.getReason()).as("reason for %s", bad)
                    .containsPattern(bad.expectedReason())
                    .contains(framesTopic + "-" + position)
                    .contains("on device device-");
            assertThat(letter.getErrorClass()).isNotBlank();
            assertThat(bytes(letter.getOriginalKey())).as("key of %s", bad).isEqualTo(bad.keyBytes());
            assertThat(bytes(letter.getOriginalValue())).as("value of %s", bad).isEqualTo(bad.valueKept() ? bad.value() : null);
            // A frame over the size a device reads is refused before it is decoded: no frame id.
            if (bad.expectedStage() != FailureStage.DESERIALIZE && bad.value() != null
                    && !letter.getReason().contains("bytes this device reads")) {
                assertThat(letter.getFrameId()).as("frame id of %s, decoded before it was refused", bad).isNotNull();
            }
            if (letter.getFrameId() != null && !letter.getFrameId().isBlank()) {
                // The generator's keys start with the frame's id, "bad-NNNNN"; an overlong id is written shortened.
                assertThat(letter.getFrameId()).startsWith(bad.key().substring(0, "bad-00000".length()));
                assertThat(letter.getFrameId().length()).isLessThanOrEqualTo(256);
            }
        }
        List<String> badPositions = sent.stream().filter(s -> s.bad() != null).map(s -> s.partition() + "@" + s.offset()).toList();
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(badPositions);
    }

    /** The dead letter's stage, with the serde's kind of failure for records that could not be read. */
    private static String reasonKind(DeadLetter letter) {
        Matcher serdeKind = SERDE_KIND.matcher(letter.getReason());
        return letter.getStage() + (serdeKind.find() ? "/" + serdeKind.group(1) : "");
    }

    private static String tally(java.util.stream.Stream<String> names) {
        return new TreeMap<>(names.collect(Collectors.groupingBy(n -> n, Collectors.counting()))).toString();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    private static KafkaConsumer<byte[], byte[]> committedReader() {
        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "bad-input-reader-" + UUID.randomUUID());
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> AvroDeserializer<T> deserializer(Class<T> type) {
        AvroDeserializer<T> deserializer = AvroDeserializer.forClass(type);
        deserializer.configure(LOCAL.stack().clientProperties(), false);
        return deserializer;
    }
}
