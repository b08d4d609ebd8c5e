package dev.edgeinfer.reliability.scale;

import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the committed predictions of one device type from the predictions topic, as a downstream reader with
 * {@code isolation.level=read_committed} sees them: predictions of aborted transactions never show.
 */
public final class PredictionLog {

    /** One committed prediction: which frame, which device, and the broker's timestamp of the prediction record. */
    public record Predicted(String frameId, String deviceId, long brokerTimestamp) {
    }

    private static final Duration QUIET = Duration.ofSeconds(3);

    private PredictionLog() {
    }

    /**
     * Reads from the start of the topic until {@code expected} distinct frames of the device type were predicted and
     * nothing more arrived for a few seconds (so that a duplicate would show), and returns every prediction read,
     * duplicates included.
     *
     * @param alive called between polls; throws when a process the predictions depend on has died
     * @throws IllegalStateException if fewer than {@code expected} frames were predicted within the timeout
     */
    public static List<Predicted> await(Map<String, Object> client, String deviceType, long expected, Duration timeout,
                                        Runnable alive) {
        Map<String, Object> configs = new java.util.HashMap<>(client);
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "prediction-log-" + UUID.randomUUID());
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroDeserializer<Prediction> deserializer = AvroDeserializer.forClass(Prediction.class);
        deserializer.configure(client, false);
        List<Predicted> predicted = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.PREDICTIONS));
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < quietUntil) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    Prediction prediction = deserializer.deserialize(record);
                    if (prediction.getDeviceType().equals(deviceType)) {
                        predicted.add(new Predicted(prediction.getFrameId(), prediction.getDeviceId(), record.timestamp()));
                        distinct.add(prediction.getFrameId());
                    }
                }
                if (distinct.size() >= expected) {
                    if (!records.isEmpty() || quietUntil == Long.MAX_VALUE) {
                        quietUntil = System.nanoTime() + QUIET.toNanos();
                    }
                } else {
                    alive.run();
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(distinct.size() + " of " + expected + " frames predicted by device type "
                                + deviceType + " within " + timeout);
                    }
                }
            }
        }
        return predicted;
    }
}
