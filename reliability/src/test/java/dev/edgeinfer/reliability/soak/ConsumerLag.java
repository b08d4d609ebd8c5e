package dev.edgeinfer.reliability.soak;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag on one topic as the brokers see it: the last stable offset of each partition minus the
 * group's committed offset, summed. It is read from outside the consumer, so a consumer that stalls shows a growing
 * lag instead of stopping to report one.
 */
public final class ConsumerLag {

    private ConsumerLag() {
    }

    /**
     * Frames of {@code topic} not yet committed by {@code group}.
     *
     * @throws IllegalStateException if the brokers cannot answer
     */
    public static long of(Admin admin, String group, String topic) throws InterruptedException {
        try {
            int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> committedOffsets = committed.entrySet().stream()
                    .filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            long lag = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
                lag += Math.max(0, end.getValue().offset() - committedOffsets.getOrDefault(end.getKey(), 0L));
            }
            return lag;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read the lag of group " + group + " on " + topic, e.getCause());
        }
    }
}
