package dev.edgeinfer.edge.consumer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The frames a device holds and has not committed, in the order they move through the loop: pending (received, not
 * yet classified), in flight (being classified), writing (classified, being sent) and written (sent, in the
 * {@link OffsetLedger} until committed). What a rewind needs and what the memory bound counts.
 */
final class HeldFrames {

    private final List<Received> pending = new ArrayList<>();
    private long pendingBytes;
    /** The flight being classified, if any. */
    Flight inFlight;
    /** The flight being written, if any. */
    Flight writing;
    /** What was written since the last commit, if anything. */
    OffsetLedger written;

    void receive(Received frame) {
        pending.add(frame);
        pendingBytes += frame.bytes();
    }

    /** Frames received and not yet classified, oldest first; not to be changed. */
    List<Received> pending() {
        return pending;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /**
     * A new flight of the {@code count} oldest pending frames, which leave the pending ones; it is the flight in flight
     * from here, so a failure while it is assembled still rewinds to its frames.
     */
    Flight launch(int count) {
        List<Received> taken = List.copyOf(pending.subList(0, count));
        pending.subList(0, count).clear();
        long bytes = 0;
        for (Received frame : taken) {
            bytes += frame.bytes();
        }
        pendingBytes -= bytes;
        inFlight = new Flight(taken, bytes, new ArrayList<>(), new ArrayList<>());
        return inFlight;
    }

    /** Bytes of every frame held. */
    long bytes() {
        long held = pendingBytes + (written == null ? 0 : written.frameBytes());
        for (Flight flight : new Flight[] {writing, inFlight}) {
            held += flight == null ? 0 : flight.bytes();
        }
        return held;
    }

    /** Whether anything is held: the loop stops only once nothing is. */
    boolean isEmpty() {
        return pending.isEmpty() && inFlight == null && written == null;
    }

    /** Every frame received and not yet written: the flight being written, the one being classified, the pending ones. */
    List<Received> unwritten() {
        List<Received> unwritten = new ArrayList<>(pending);
        for (Flight flight : new Flight[] {writing, inFlight}) {
            if (flight != null) {
                unwritten.addAll(flight.records());
            }
        }
        return unwritten;
    }

    /** Frames held, written or not. */
    int frames() {
        return unwritten().size() + (written == null ? 0 : written.frames());
    }

    /** The first offset of each partition not yet committed: where a rewind goes back to. */
    Map<TopicPartition, Long> firstUncommitted() {
        Map<TopicPartition, Long> first = written == null ? new HashMap<>() : new HashMap<>(written.firstOffsets());
        for (Received frame : unwritten()) {
            ConsumerRecord<?, ?> record = frame.record();
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        return first;
    }

    /**
     * Lets go of everything held, and moves each partition still assigned (less those gone to another device) back to
     * its first frame not committed, so those frames are read again.
     */
    void dropAndRewind(Consumer<?, ?> consumer, Collection<TopicPartition> gone) {
        Map<TopicPartition, Long> first = firstUncommitted();
        clear();
        first.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition) && !gone.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    private void clear() {
        writing = null;
        inFlight = null;
        written = null;
        pending.clear();
        pendingBytes = 0;
    }
}
