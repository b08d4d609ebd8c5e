package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames whose output the broker refused for the record's own sake (too large for a limit the device did not know,
 * invalid for the topic), so that when the failed transaction's frames are read again those frames are dead-lettered
 * instead of failing it again. A frame whose dead letter was refused too gets a truncated one. A frame leaves the
 * quarantine once its replacement is committed, or when its partition goes to another device.
 */
final class Quarantine {

    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);

    /** A record sent and the output it carries, until its write is committed. */
    record Sent(Output output, Future<RecordMetadata> ack) {
    }

    /**
     * Why a frame's output was refused.
     *
     * @param failed the output the broker refused
     * @param reason the broker's reason
     * @param tooLarge whether it was refused for its size (then the topics' limits are read again)
     */
    record Refusal(Output failed, String reason, boolean tooLarge) {
        /** True when what was refused was already a dead letter: the next one is truncated. */
        boolean deadLetterRefused() {
            return failed.value() instanceof DeadLetter;
        }
    }

    private final Map<TopicPartition, NavigableMap<Long, Refusal>> refused = new HashMap<>();

    /**
     * After a transaction was aborted: when the broker refused records of it for their size, reads the output topics'
     * limits again and quarantines the frames whose outputs are over them (see {@link #collect}).
     *
     * @return the records quarantined; 0 when none was refused for its size, or none is over the limits now known
     */
    int afterAbort(List<Sent> sent, OutputEncoder encoder, String deviceId) {
        if (sent.stream().map(Quarantine::refusal).noneMatch(refusal -> refusal != null && refusal.tooLarge())) {
            return 0;
        }
        encoder.refreshLimits();
        List<Refusal> refusals = collect(sent, encoder::whyUnwritable);
        if (refusals.isEmpty()) {
            log.error("device {}: the broker refused records for their size, but none is over the output topics' limits as read"
                    + " ({}): grant the device DescribeConfigs on its output topics so it can check sizes before sending",
                    deviceId, encoder.limits());
        }
        return refusals.size();
    }

    /**
     * Remembers the frames of the sends the broker refused for their size that are over the limits now known. The
     * size is checked because, under a transaction, the broker's verdict on one batch fails every other batch of the
     * transaction with the same exception: only the records that really are too large are their frames' fault. Only
     * completed sends are looked at: call it once the transaction was aborted, which completes every send of it.
     *
     * @param sent        the sends of the failed transaction
     * @param unwritable  why an output cannot be written under the limits now known, or null if it can
     * @return the refusals remembered
     */
    List<Refusal> collect(List<Sent> sent, Function<Output, String> unwritable) {
        List<Refusal> found = new ArrayList<>();
        for (Sent send : sent) {
            Refusal refusal = refusal(send);
            if (refusal == null || !refusal.tooLarge() || send.output().frame() == null) {
                continue;
            }
            String why = unwritable.apply(send.output());
            if (why == null) {
                continue;
            }
            ConsumerRecord<byte[], ByteBuffer> frame = send.output().frame();
            Refusal own = new Refusal(send.output(), why + "; the broker refused it: " + refusal.reason(), true);
            refused.computeIfAbsent(new TopicPartition(frame.topic(), frame.partition()), p -> new TreeMap<>())
                    .put(frame.offset(), own);
            found.add(own);
            log.warn("the broker refused the {} of the frame at {}: {}; the frame will be dead-lettered",
                    send.output().value().getSchema().getName(), DeadLetters.where(frame), own.reason());
        }
        return found;
    }

    /** The refusal of a frame's output, or null if none was refused. */
    Refusal of(ConsumerRecord<?, ?> frame) {
        NavigableMap<Long, Refusal> partition = refused.get(new TopicPartition(frame.topic(), frame.partition()));
        return partition == null ? null : partition.get(frame.offset());
    }

    /** Forgets the frames before the committed offsets: their replacements were written. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            NavigableMap<Long, Refusal> frames = refused.get(partition);
            if (frames != null) {
                frames.headMap(offset.offset()).clear();
                if (frames.isEmpty()) {
                    refused.remove(partition);
                }
            }
        });
    }

    /** Forgets the frames of partitions this device no longer reads. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(refused::remove);
    }

    /** The refusal of a completed send that failed for its record's own sake, or null. */
    static Refusal refusal(Sent send) {
        if (!send.ack().isDone()) {
            return null;
        }
        try {
            send.ack().get();
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            boolean tooLarge = cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException;
            return tooLarge || cause instanceof InvalidRecordException ? new Refusal(send.output(), cause.toString(), tooLarge) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (CancellationException e) {
            return null;
        }
    }
}
