package dev.edgeinfer.producer;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.schemas.serde.AvroSerializer;
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
     */
    public static Map<String, Object> producerConfig(Map<String, Object> clientConfig, String producerId, String compression) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        // A batch retried after a lost response is not written twice, and frames of one partition stay in order.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A frame counts as published only once every in-sync replica has it (idempotence requires it, too).
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // The project's Confluent-wire Avro serde; the frame schema is registered or looked up on first send.
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        // 3 KB frames: batch size, not the network, bounds throughput (see DEFAULT_BATCH_SIZE).
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE);
        // Names this producer in broker logs, metrics and quotas.
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "frame-producer-" + producerId);
        if (compression != null) {
            // Chosen on the command line: it wins over the properties file.
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        }
        return config;
    }

    /**
     * The frame producer.
     *
     * @throws org.apache.kafka.common.KafkaException if the config is invalid
     */
    public static KafkaProducer<String, ImageFrame> createKafkaProducer(Map<String, Object> clientConfig, String producerId,
                                                                       String compression) {
        return new KafkaProducer<>(producerConfig(clientConfig, producerId, compression));
    }
}
