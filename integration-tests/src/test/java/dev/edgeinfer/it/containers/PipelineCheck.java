package dev.edgeinfer.it.containers;

import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the deployment tests feed the pipeline and how they read what came out of it. */
final class PipelineCheck {

    /** The CIFAR-10 class names: the producer labels a file by the name of its folder. */
    private static final List<String> CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private PipelineCheck() {
    }

    /**
     * Writes {@code perClass} 32x32 PNG images into a class-named folder per class under {@code folder}: a
     * {@code dir:} source for the producer that needs no data set.
     */
    static int writeFrames(Path folder, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        int written = 0;
        for (String label : CLASSES) {
            Path classFolder = Files.createDirectories(folder.resolve(label));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        image.setRGB(x, y, random.nextInt(0x1000000));
                    }
                }
                ImageIO.write(image, "png", classFolder.resolve(label + "-" + i + ".png").toFile());
                written++;
            }
        }
        return written;
    }

    /**
     * Reads committed predictions of one device type until {@code expected} distinct frames have one or the timeout
     * passes, and returns the frame ids seen.
     */
    static Set<String> predictedFrames(Map<String, Object> client, String deviceType, int expected, Duration timeout) {
        AvroDeserializer<Prediction> deserializer = AvroDeserializer.forClass(Prediction.class);
        deserializer.configure(client, false);
        Map<String, Object> configs = new HashMap<>(client);
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "deployment-check-" + UUID.randomUUID());
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> frames = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.PREDICTIONS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (frames.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Prediction prediction = deserializer.deserialize(record);
                    if (prediction.getDeviceType().equals(deviceType)) {
                        frames.add(prediction.getFrameId());
                    }
                }
            }
        }
        return frames;
    }
}
