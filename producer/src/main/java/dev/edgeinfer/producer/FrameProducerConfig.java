package dev.edgeinfer.producer;

import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** The frame producer's Kafka settings, in one place. */
public final class FrameProducerConfig {

    /**
     * Default {@code batch.size}. Frames are about 3 KB: the 16 KiB Kafka default holds five of them and caps a
     * producer near 22k frames/s on two cores; 256 KiB batches reach about 78k/s (acks=all).
     */
    public static final int DEFAULT_BATCH_SIZE = 256 * 1024;

    private FrameProducerConfig() {
    }

    /**
     * The producer config: the client config (addresses, security, anything from the properties file) with the
     * frame producer's settings on top. Delivery guarantees are always set; tuning is only filled in where the
     * properties file left it out.
     *
     * @param clientConfig from {@link dev.edgeinfer.schemas.config.ClientConfig#load}; not modified
     * @param producerId   this producer's id, used in its client id
     * @param compression  {@code compression.type} from the command line, or null to keep the file's or Kafka's default
     * @param key          what records are keyed by
     */
    public static Map<String, Object> producerConfig(Map<String, Object> clientConfig, String producerId, String compression,
                                                     KeyChoice key) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        // A batch retried after a lost response is not written twice, and frames of one partition stay in order.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A frame counts as published only once every in-sync replica has it (idempotence requires it, too).
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // 3 KB frames: batch size, not the network, bounds throughput (see DEFAULT_BATCH_SIZE).
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE);
        // Names this producer in broker logs, metrics and quotas.
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "frame-producer-" + producerId);
        if (key == KeyChoice.FRAME_ID) {
            // Frame ids are unique, so hashing them orders nothing; sticky partitioning fills one partition's batch
            // at a time (as for unkeyed records) instead of spreading every batch's frames over all partitions.
            config.putIfAbsent(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, true);
        }
        if (compression != null) {
            // Chosen on the command line: it wins over the properties file.
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        }
        return config;
    }

    /**
     * Registers (or looks up) the frame schema with a serializer configured like the producer's, and warms the
     * serialization code, so neither shows as lag of the first frames behind their plan.
     *
     * @throws dev.edgeinfer.schemas.serde.AvroSerdeException if the registry refuses the schema or cannot be reached
     */
    public static void registerFrameSchema(Map<String, Object> producerConfig, String topic) {
        ImageFrame sample = ImageFrame.newBuilder()
                .setFrameId("schema-check").setProducerId("schema-check")
                .setSource(new FrameSource(null, null, null)).setCaptureTime(Instant.EPOCH)
                .setWidth(1).setHeight(1).setChannels(3).setEncoding(PixelEncoding.RAW_RGB8_HWC)
                .setPixels(ByteBuffer.wrap(new byte[3])).setGroundTruth(null).setLabelSet(null)
                .build();
        try (AvroSerializer<ImageFrame> serializer = frameSerializer(producerConfig)) {
            serializer.serialize(topic, sample);
        }
    }

    /**
     * The frame producer: keys as strings, frames through the project's Confluent-wire Avro serializer (the frame
     * schema is registered, or looked up, on first send as the {@code auto.register.schemas} setting says).
     *
     * @throws org.apache.kafka.common.KafkaException if the config is invalid
     */
    public static KafkaProducer<String, ImageFrame> createKafkaProducer(Map<String, Object> clientConfig, String producerId,
                                                                        String compression, KeyChoice key) {
        Map<String, Object> config = producerConfig(clientConfig, producerId, compression, key);
        return new KafkaProducer<>(config, new StringSerializer(), frameSerializer(config));
    }

    /** The project's Avro serializer for frame values, configured from the producer config. */
    static AvroSerializer<ImageFrame> frameSerializer(Map<String, Object> config) {
        AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }
}
