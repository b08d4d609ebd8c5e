package dev.edgeinfer.reliability.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.reliability.topics.OutputTopics;
import dev.edgeinfer.reliability.topics.RunTopics;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames whose outputs cannot be written, against the real broker and the device as its own process, in both delivery
 * modes: every good frame is predicted once, every such frame dead-lettered once, and the device never stalls.
 *
 * <ul>
 *   <li>Frames with long ids (256 three-byte characters, within the id limit) whose predictions fit the predictions
 *       topic at first; then the topic's {@code max.message.bytes} is lowered under their size while the device runs,
 *       so the broker refuses the next ones (a limit the device did not know): they are dead-lettered at PUBLISH.</li>
 *   <li>Undecodable PNG frames larger than the dead-letters topic takes: their dead letters are truncated, keeping the
 *       frame's coordinates and the reason.</li>
 * </ul>
 */
class UnwritableOutputIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final int GOOD = 120;
    private static final int LONG_IDS = 8;
    private static final int BIG_BROKEN = 4;
    /** The dead-letters topic's limit: the broken PNG frames (100 KB) do not fit in it whole. */
    private static final int DEAD_LETTER_LIMIT = 64 * 1024;
    /** The predictions topic's limit once lowered: under a long-id prediction (about 2 KB), over the others. */
    private static final int LOWERED_PREDICTION_LIMIT = 1500;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern STOPPING = Pattern.compile("stopping: (\\d+) frames predicted, (\\d+) dead-lettered");

    @TempDir
    Path logs;

    private record Sent(ImageFrame frame, int partition, long offset) {
        String position() {
            return partition + "@" + offset;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exactly-once", "at-least-once"})
    void framesWhoseOutputCannotBeWrittenAreDeadLetteredOnceAndTheDeviceGoesOn(String delivery) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String frames = "frames-" + run;
        String predictions = "predictions-" + run;
        String deadLetters = "dead-letters-" + run;
        createTopics(frames, predictions, deadLetters);

        AppProcess device = startDevice(run, frames, predictions, deadLetters, delivery);
        OutputTopics outputs = new OutputTopics(LOCAL.stack().clientProperties(), predictions, deadLetters);
        List<Sent> first;
        List<Sent> second;
        try {
            // Before: long ids fit; broken big frames have dead letters too large for their topic.
            first = publish(frames, mix(run + "-a-", GOOD / 2, LONG_IDS / 2, BIG_BROKEN));
            outputs.awaitCounts(device, GOOD / 2 + LONG_IDS / 2, BIG_BROKEN, TIMEOUT);
            lowerLimit(predictions);
            // After: the broker refuses the long-id predictions, under a limit the device read when it started.
            second = publish(frames, mix(run + "-b-", GOOD / 2, LONG_IDS / 2, 0));
            outputs.awaitCounts(device, GOOD + LONG_IDS / 2, BIG_BROKEN + LONG_IDS / 2, TIMEOUT);
        } finally {
            device.close();
        }
        device.waitFor(Duration.ofSeconds(5));
        String log = Files.readString(device.log());
        Matcher stopping = STOPPING.matcher(log);
        assertThat(stopping.find()).as("the loop finished and logged its counts; log:%n%s", device.tail()).isTrue();

        List<Prediction> predicted = outputs.read(predictions, Prediction.class);
        List<DeadLetter> letters = outputs.read(deadLetters, DeadLetter.class);
        List<String> expectedPredictions = new ArrayList<>();
        first.stream().filter(s -> !isBroken(s)).forEach(s -> expectedPredictions.add(s.frame().getFrameId()));
        second.stream().filter(s -> !isLongId(s)).forEach(s -> expectedPredictions.add(s.frame().getFrameId()));
        assertThat(predicted).extracting(Prediction::getFrameId).as("every good frame predicted once")
                .containsExactlyInAnyOrderElementsOf(expectedPredictions);

        Map<String, Sent> refused = new HashMap<>();
        first.stream().filter(UnwritableOutputIT::isBroken).forEach(s -> refused.put(s.position(), s));
        second.stream().filter(UnwritableOutputIT::isLongId).forEach(s -> refused.put(s.position(), s));
        Map<String, DeadLetter> byPosition = new HashMap<>();
        for (DeadLetter letter : letters) {
            String position = letter.getOriginalPartition() + "@" + letter.getOriginalOffset();
            assertThat(byPosition.put(position, letter)).as("second dead letter for %s", position).isNull();
            Sent origin = refused.get(position);
            assertThat(origin).as("dead letter of a frame that had to be written: %s", letter.getReason()).isNotNull();
            assertThat(letter.getOriginalTopic()).isEqualTo(frames);
            if (isBroken(origin)) {
                assertThat(letter.getStage()).isEqualTo(FailureStage.DECODE);
                assertThat(letter.getOriginalValue()).as("truncated: no value").isNull();
                assertThat(letter.getReason()).contains("exceeds the limit of " + DEAD_LETTER_LIMIT)
                        .contains(frames + "-" + position).contains("are not a readable PNG image");
            } else {
                assertThat(letter.getStage()).isEqualTo(FailureStage.PUBLISH);
                assertThat(letter.getOriginalValue()).as("the frame kept whole").isNotNull();
                assertThat(letter.getFrameId()).isEqualTo(origin.frame().getFrameId());
                assertThat(letter.getReason()).containsPattern("RecordTooLargeException|exceeds the limit of "
                        + LOWERED_PREDICTION_LIMIT + " bytes \\(max.message.bytes of topic " + predictions);
            }
        }
        assertThat(byPosition.keySet()).as("every such frame dead-lettered once").containsExactlyInAnyOrderElementsOf(refused.keySet());
        assertThat(Long.parseLong(stopping.group(1))).isEqualTo(expectedPredictions.size());
        assertThat(Long.parseLong(stopping.group(2))).isEqualTo(refused.size());
        System.out.printf("unwritable outputs, %s: %d predictions, %d dead letters (%d truncated), %d records refused by the"
                + " broker, %d before sending%n", delivery, predicted.size(), letters.size(),
                letters.stream().filter(l -> l.getOriginalValue() == null).count(), count(log, "the broker refused the"),
                count(log, "bytes exceeds the limit of"));
    }

    private static boolean isLongId(Sent sent) {
        return sent.frame().getFrameId().contains("€");
    }

    private static boolean isBroken(Sent sent) {
        return sent.frame().getEncoding() == PixelEncoding.PNG;
    }

    /** Good CIFAR-10 frames, frames with long ids and big broken PNG frames, shuffled. */
    private static List<ImageFrame> mix(String prefix, int good, int longIds, int broken) throws Exception {
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        List<ImageFrame> frames = new ArrayList<>(Cifar10Frames.frames(good + longIds, "unwritable-output-test", prefix));
        for (int i = 0; i < longIds; i++) {
            ImageFrame frame = frames.get(good + i);
            String id = frame.getFrameId() + "-";
            frame.setFrameId(id + "€".repeat(256 - id.length()));
        }
        Random random = new Random(prefix.hashCode());
        for (int i = 0; i < broken; i++) {
            byte[] garbage = new byte[100_000];
            random.nextBytes(garbage);
            frames.add(ImageFrame.newBuilder().setFrameId(prefix + "broken-" + i).setProducerId("unwritable-output-test")
                    .setSource(FrameSource.newBuilder().setDataset("generated").build())
                    .setCaptureTime(Instant.now()).setWidth(32).setHeight(32).setChannels(3)
                    .setEncoding(PixelEncoding.PNG).setPixels(ByteBuffer.wrap(garbage)).build());
        }
        Collections.shuffle(frames, random);
        return frames;
    }

    private static void createTopics(String frames, String predictions, String deadLetters) throws InterruptedException {
        RunTopics.create(LOCAL.stack(), Topics.spec(Topics.FRAMES).named(frames),
                Topics.spec(Topics.PREDICTIONS).named(predictions),
                Topics.spec(Topics.DEAD_LETTERS).named(deadLetters)
                        .withConfig(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(DEAD_LETTER_LIMIT)));
    }

    private static void lowerLimit(String topic) throws Exception {
        try (Admin admin = LOCAL.stack().createAdmin()) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(LOWERED_PREDICTION_LIMIT)),
                    AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    private static List<Sent> publish(String topic, List<ImageFrame> frames) throws Exception {
        AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer())) {
            for (ImageFrame frame : frames) {
                acks.add(producer.send(new ProducerRecord<>(topic, frame.getFrameId(), serializer.serialize(topic, frame))));
            }
        }
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            RecordMetadata where = acks.get(i).get();
            sent.add(new Sent(frames.get(i), where.partition(), where.offset()));
        }
        return sent;
    }

    private AppProcess startDevice(String run, String frames, String predictions, String deadLetters, String delivery)
            throws Exception {
        Apps apps = new Apps(Apps.repositoryRoot(), logs, LOCAL.stack().clientProperties());
        return apps.edgeConsumer(EdgeConsumerLaunch.device("device-" + run, "unwritable-" + run).artifact("onnxruntime", "onnx-int8")
                .framesTopic(frames).predictionsTopic(predictions).deadLettersTopic(deadLetters).delivery(delivery));
    }

    private static long count(String log, String text) {
        return log.lines().filter(line -> line.contains(text)).count();
    }
}
