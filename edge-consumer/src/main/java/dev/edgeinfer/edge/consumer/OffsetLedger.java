package dev.edgeinfer.edge.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What was written since the last commit: the offsets that commit it, the first offset written of each partition (for
 * a rewind), what it adds to the counts, and the sends (awaited before the offsets are committed in at-least-once mode;
 * looked at for records the broker refused when a transaction fails). The frames are not kept: a frame is needed again
 * only if the commit fails, and then it is read again from the broker.
 */
final class OffsetLedger {

    private final long startNanos;
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private final List<Quarantine.Sent> sent = new ArrayList<>();
    private long frameBytes;
    private int frames;

    /** A ledger opened at {@code startNanos} on the device's monotonic clock. */
    OffsetLedger(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Records frames whose outputs were sent: their offsets are committed with those outputs. */
    void addFrames(List<Received> received, long bytes) {
        frameBytes += bytes;
        for (Received frame : received) {
            ConsumerRecord<?, ?> record = frame.record();
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            offsets.merge(partition, new OffsetAndMetadata(record.offset() + 1), (a, b) -> a.offset() >= b.offset() ? a : b);
            firstOffsets.merge(partition, record.offset(), Math::min);
        }
        frames += received.size();
    }

    void addSent(Quarantine.Sent send) {
        sent.add(send);
    }

    /** The next offset to read of each partition, once committed. */
    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }

    /** The first offset written of each partition: where a rewind goes back to. */
    Map<TopicPartition, Long> firstOffsets() {
        return firstOffsets;
    }

    /** The sends, in order; at-least-once commits replace a refused one by what was written in its place. */
    List<Quarantine.Sent> sent() {
        return sent;
    }

    long startNanos() {
        return startNanos;
    }

    long frameBytes() {
        return frameBytes;
    }

    int frames() {
        return frames;
    }
}
