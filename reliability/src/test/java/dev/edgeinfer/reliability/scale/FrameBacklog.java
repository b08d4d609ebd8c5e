package dev.edgeinfer.reliability.scale;

import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;

/**
 * A backlog of CIFAR-10 test frames published in one Kafka transaction. Consumers read frames with
 * {@code isolation.level=read_committed}, so the whole backlog becomes visible to all of them at the same instant,
 * the commit: a drain rate measured from that instant does not depend on when each consumer process started.
 */
public final class FrameBacklog {

    private static final int IMAGES = 10_000;
    private static final int RECORD = 1 + 3 * 1024;

    private FrameBacklog() {
    }

    /** The CIFAR-10 folder from {@code CIFAR10_DIR}; the test is skipped, saying why, when it is not set. */
    public static Path cifarDir() {
        String dir = System.getenv("CIFAR10_DIR");
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, "test_batch.bin")),
                "CIFAR10_DIR does not name the CIFAR-10 binary batches; set it to run this test");
        return Path.of(dir);
    }

    /**
     * {@code count} frames of the CIFAR-10 test images, raw RGB8 HWC with their labels, starting over after the
     * 10,000th; every frame has its own id {@code <prefix>-<n>}.
     *
     * @throws IOException if the test batch cannot be read
     */
    public static List<ImageFrame> cifarFrames(int count, String prefix) throws IOException {
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream in = Files.newInputStream(cifarDir().resolve("test_batch.bin"))) {
            byte[] record = new byte[RECORD];
            for (int i = 0; i < Math.min(count, IMAGES); i++) {
                if (in.readNBytes(record, 0, RECORD) != RECORD) {
                    throw new IOException("test_batch.bin ends before image " + i);
                }
                byte[] hwc = new byte[3 * 1024];
                for (int p = 0; p < 1024; p++) {
                    hwc[p * 3] = record[1 + p];
                    hwc[p * 3 + 1] = record[1 + 1024 + p];
                    hwc[p * 3 + 2] = record[1 + 2048 + p];
                }
                images.add(hwc);
                labels.add((int) record[0]);
            }
        }
        List<ImageFrame> frames = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int image = n % images.size();
            frames.add(ImageFrame.newBuilder()
                    .setFrameId(prefix + "-" + n).setProducerId(prefix)
                    .setSource(FrameSource.newBuilder().setDataset("cifar-10/test").setIndex((long) image).build())
                    .setCaptureTime(Instant.now())
                    .setWidth(32).setHeight(32).setChannels(3)
                    .setEncoding(PixelEncoding.RAW_RGB8_HWC)
                    .setPixels(ByteBuffer.wrap(images.get(image)))
                    .setGroundTruth(labels.get(image)).setLabelSet("cifar-10")
                    .build());
        }
        return frames;
    }

    /**
     * Publishes the frames, keyed by frame id, in one transaction and returns the instant just before the commit was
     * requested: from then on read_committed consumers may see them.
     */
    public static Instant publishInOneTransaction(Map<String, Object> client, String topic, List<ImageFrame> frames) {
        Map<String, Object> configs = new HashMap<>(client);
        configs.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "frame-backlog-" + UUID.randomUUID());
        // A large backlog on a busy machine takes longer than the default minute to write before the commit.
        configs.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000);
        configs.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        configs.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
        serializer.configure(client, false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (ImageFrame frame : frames) {
                producer.send(new ProducerRecord<>(topic, frame.getFrameId(), serializer.serialize(topic, frame)));
            }
            producer.flush();
            Instant visibleFrom = Instant.now();
            producer.commitTransaction();
            return visibleFrom;
        }
    }
}
