package dev.edgeinfer.testsupport.topics;

import dev.edgeinfer.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every partition of a topic from the beginning, committed records only (as {@code read_committed} consumers
 * see them); each {@link #readToEnd} picks up where the last one stopped. No consumer group: it commits nothing and
 * reads at once, with no group to join first.
 */
public final class CommittedTopicReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param client the stack's client settings ({@code bootstrap.servers} and any security settings)
     * @throws org.apache.kafka.common.errors.TimeoutException if the topic's partitions are not known within a minute
     */
    public CommittedTopicReader(Map<String, Object> client, String topic) {
        this.topic = topic;
        Map<String, Object> configs = new HashMap<>(client);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Hands every record committed up to now (the last stable offset of each partition) to {@code sink}.
     *
     * @return how many records were read
     * @throws AssertionError if the end is not reached within {@code timeout}
     */
    public long readToEnd(Consumer<ConsumerRecord<byte[], byte[]>> sink, Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        long read = 0;
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Reading " + topic + " did not reach " + end + " within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                sink.accept(record);
                read++;
            }
        }
        return read;
    }

    /**
     * Every record of the topic committed up to now, decoded as {@code type} by the project's Avro deserializer.
     *
     * @param client the client settings, the registry's URL included
     * @throws AssertionError if the end is not reached within {@code timeout}
     */
    public static <T extends SpecificRecord> List<T> readAll(Map<String, Object> client, String topic, Class<T> type,
                                                             Duration timeout) {
        List<T> records = new ArrayList<>();
        try (AvroDeserializer<T> deserializer = AvroDeserializer.forClass(type);
             CommittedTopicReader reader = new CommittedTopicReader(client, topic)) {
            deserializer.configure(client, false);
            reader.readToEnd(record -> records.add(deserializer.deserialize(record.topic(), record.partition(), record.offset(),
                    record.value())), timeout);
        }
        return records;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
