package dev.edgeinfer.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.producer.rate.Pacer;
import dev.edgeinfer.producer.rate.SendPlan;
import dev.edgeinfer.producer.source.Cifar10Source;
import dev.edgeinfer.producer.source.FileImageSource;
import dev.edgeinfer.producer.source.ImageSize;
import dev.edgeinfer.producer.source.TestImages;
import dev.edgeinfer.schemas.config.ClientConfig;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The producer against a real broker and registry: frames are read back with the project's deserializer and compared
 * with the source. Uses the real CIFAR-10 batches when {@code CIFAR10_DIR} is set, small generated ones otherwise.
 */
@ExtendWith(LocalStackExtension.class)
class FrameProducerIT {

    @TempDir
    Path tmp;

    @Test
    void commandLinePublishesCifarFramesThatReadBackIdentical(LocalStack stack) throws Exception {
        Path cifarDir = cifarDir();
        String topic = "frames.it." + UUID.randomUUID();
        StringWriter out = new StringWriter();
        picocli.CommandLine commandLine = FrameProducerApp.commandLine();
        commandLine.setOut(new PrintWriter(out));
        int exit = commandLine.execute("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--producer-id", "it-cam", "--source", "cifar10:test",
                "--cifar10-dir", cifarDir.toString(), "--count", "300", "--shuffle", "--seed", "3", "--compression", "lz4",
                "--topic", topic);

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Published 300 frame(s)", "failed 0");
        List<ConsumerRecord<String, ImageFrame>> records = readAll(stack, topic, 300);
        assertThat(records).hasSize(300);
        assertThat(new HashSet<>(records.stream().map(ConsumerRecord::key).toList())).hasSize(300);
        try (Cifar10Source source = Cifar10Source.open(cifarDir, Cifar10Source.Split.TEST)) {
            for (ConsumerRecord<String, ImageFrame> record : records) {
                ImageFrame frame = record.value();
                assertThat(record.key()).isEqualTo(frame.getFrameId()).matches("it-cam-[0-9a-f]{12}-\\d+");
                assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
                assertThat(frame.getEncoding()).isEqualTo(PixelEncoding.RAW_RGB8_HWC);
                int index = Math.toIntExact(frame.getSource().getIndex());
                byte[] expected = source.read(index).pixels();
                byte[] actual = new byte[frame.getPixels().remaining()];
                frame.getPixels().get(actual);
                assertThat(actual).as("pixels of %s", frame.getFrameId()).isEqualTo(expected);
                assertThat(frame.getGroundTruth()).isEqualTo(source.read(index).groundTruth());
            }
        }
        try (Admin admin = stack.createAdmin()) {
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                    .all().get().values().iterator().next();
            assertThat(config.get("message.timestamp.type").value()).as("created with the frames topic's spec")
                    .isEqualTo("LogAppendTime");
        }
    }

    @Test
    void producerIdKeyKeepsOneCameraInOnePartitionInOrderAtThePlannedRate(LocalStack stack) throws Exception {
        Path images = tmp.resolve("images");
        for (int i = 0; i < 5; i++) {
            TestImages.writeImage(images.resolve("cat/" + i + ".png"), "png", 32, 32);
        }
        Files.writeString(images.resolve("cat/broken.png"), "broken");
        String topic = "frames.it." + UUID.randomUUID();
        createTopic(stack, topic);
        PublishSettings settings = new PublishSettings(topic, "cam-9", "run", KeyChoice.PRODUCER_ID,
                new SendPlan(50, 1), 50, null, true, false, 0, false);
        PublishSummary summary;
        try (KafkaProducer<String, ImageFrame> producer = FrameProducerConfig.createKafkaProducer(
                ClientConfig.load(null, stack.bootstrapServers(), stack.schemaRegistryUrl()), "cam-9", null, KeyChoice.PRODUCER_ID);
             FileImageSource source = FileImageSource.fromDirectory(images, ImageSize.CIFAR10)) {
            summary = new FramePublisher(producer, source, settings, Pacer.Ticker.SYSTEM, Clock.systemUTC()).run();
        }

        assertThat(summary.acked()).isEqualTo(50);
        assertThat(summary.skipped()).as("broken.png once per pass").isEqualTo(9);
        // Never faster than planned; slower only with the shortfall reported as lag (the test machine may be busy).
        assertThat(summary.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(980));
        assertThat(summary.sendRate()).isLessThanOrEqualTo(55.0);
        if (summary.sendRate() < 45.0) {
            assertThat(summary.lag().max()).isGreaterThan(Duration.ofMillis(50));
        }
        List<ConsumerRecord<String, ImageFrame>> records = readAll(stack, topic, 50);
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
        assertThat(records).extracting(r -> r.value().getFrameId())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "cam-9-run-" + i).toList());
        assertThat(records).extracting(r -> r.value().getEncoding()).containsOnly(PixelEncoding.PNG);
        assertThat(records).extracting(r -> r.value().getGroundTruth()).containsOnly(3);
    }

    private Path cifarDir() {
        String env = System.getenv("CIFAR10_DIR");
        if (env != null && Cifar10Source.isComplete(Path.of(env))) {
            return Path.of(env);
        }
        return TestImages.writeCifarBatches(tmp.resolve("cifar"), 400);
    }

    /** Creates a topic like the frames topic and waits until it answers, as producers must (KAFKA-15591). */
    static void createTopic(LocalStack stack, String topic) throws InterruptedException {
        var frames = Topics.all().stream().filter(spec -> spec.name().equals(Topics.FRAMES)).findFirst().orElseThrow();
        try (Admin admin = stack.createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(
                    new dev.edgeinfer.schemas.topics.TopicSpec(topic, frames.partitions(), frames.replicationFactor(), frames.configs())));
        }
    }

    static List<ConsumerRecord<String, ImageFrame>> readAll(LocalStack stack, String topic, int expected) {
        Map<String, Object> config = stack.clientProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AvroDeserializer<ImageFrame> frames = AvroDeserializer.forClass(ImageFrame.class);
        frames.configure(config, false);
        List<ConsumerRecord<String, ImageFrame>> records = new ArrayList<>();
        try (KafkaConsumer<String, ImageFrame> consumer = new KafkaConsumer<>(config, new StringDeserializer(), frames)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // One more short poll so that extra records, if any, would be seen.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        records.sort(java.util.Comparator.comparingInt(ConsumerRecord<String, ImageFrame>::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }
}
