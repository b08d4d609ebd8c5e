package dev.edgeinfer.edge.consumer;

import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record the device writes, and the frame it answers: a prediction or a dead letter of that frame, or a heartbeat
 * (no frame). The frame is what lets a record that cannot be written be replaced by a dead letter of its frame.
 *
 * @param topic   where it goes
 * @param key     its key, the frame id (the device id for a heartbeat); may be null
 * @param value   the Avro record
 * @param frame   the frame's record as read; null for a heartbeat
 * @param frameId the frame's id as decoded, or null when it was not
 */
record Output(String topic, String key, SpecificRecord value, ConsumerRecord<byte[], ByteBuffer> frame, String frameId) {
}
