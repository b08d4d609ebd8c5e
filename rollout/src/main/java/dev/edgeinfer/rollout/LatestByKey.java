package dev.edgeinfer.rollout;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A compacted topic's latest value per key, read from its start to the end offsets found when the read starts, with
 * {@code read_committed} and no consumer group: what the topic says now, as a device reading it would see it.
 */
final class LatestByKey {

    private LatestByKey() {
    }

    /**
     * @return the latest value of every key, tombstones removing their key, in the order keys were first seen
     * @throws TimeoutException if the end is not reached within {@code timeout}
     */
    static <V> Map<String, V> read(Map<String, Object> client, String topic, Deserializer<V> values, Duration timeout) {
        Map<String, Object> configs = new HashMap<>(client);
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, V> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(configs, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + topic + " to its end " + ends + " took over " + timeout);
                }
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        }
        return latest;
    }
}
