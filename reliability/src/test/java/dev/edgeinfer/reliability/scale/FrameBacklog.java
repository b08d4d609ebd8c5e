package dev.edgeinfer.reliability.scale;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A backlog of frames, e.g. {@link Cifar10Frames}, published in one Kafka transaction. Consumers read frames with
 * {@code isolation.level=read_committed}, so the whole backlog becomes visible to all of them at the same instant,
 * the commit: a drain rate measured from that instant does not depend on when each consumer process started.
 */
public final class FrameBacklog {

    private FrameBacklog() {
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
