package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A device's Kafka side: what its loop reads frames with and writes its outputs with. The loop owns them and closes
 * them when it returns.
 *
 * @param consumer      reads frames; values are views of the fetched bytes
 * @param producer      writes the outputs, serialized by the loop (so a record that cannot be written is found before
 *                      it is sent)
 * @param frames        the frames' deserializer
 * @param values        the outputs' serializer
 * @param producerLimit the largest record the producer sends (the smaller of its {@code max.request.size} and
 *                      {@code buffer.memory})
 * @param topicLimits   where the output topics' limits are read
 */
public record DeviceClients(Consumer<byte[], ByteBuffer> consumer, Producer<String, byte[]> producer,
                            AvroDeserializer<ImageFrame> frames, Serializer<SpecificRecord> values, int producerLimit,
                            TopicLimits topicLimits) {
}
