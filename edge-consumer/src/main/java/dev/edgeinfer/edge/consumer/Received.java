package dev.edgeinfer.edge.consumer;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A frame record received and not yet committed. Its value is a view of the fetched bytes (Kafka's
 * {@code ByteBufferDeserializer} copies nothing), which the frame decoder reads in place.
 *
 * @param record        the record as read
 * @param receivedNanos when the loop received it, on the device's monotonic clock
 * @param receivedAt    the same moment on the device's wall clock
 */
record Received(ConsumerRecord<byte[], ByteBuffer> record, long receivedNanos, Instant receivedAt) {

    /** Bytes of its key and value as they came from the broker. */
    long bytes() {
        return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
    }
}
