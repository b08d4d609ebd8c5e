package dev.edgeinfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.topics.CommittedTopicReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Frames topics for the producing examples' tests: made, their schema registered, read back as the edge consumer reads. */
final class FrameTopics {

    private FrameTopics() {
    }

    /** Creates a topic with the frames topic's settings. */
    static void create(LocalStack stack, String topic) throws InterruptedException {
        TopicSpec frames = Topics.spec(Topics.FRAMES);
        try (Admin admin = stack.createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(
                    new TopicSpec(topic, frames.partitions(), frames.replicationFactor(), frames.configs())));
        }
    }

    /** Registers the frame schema under {@code <topic>-value}, as the pipeline's producer does at its start. */
    static void registerSchema(LocalStack stack, String topic) {
        try (AvroSerializer<ImageFrame> serializer = new AvroSerializer<>()) {
            serializer.configure(stack.clientProperties(), false);
            serializer.serialize(topic, ImageFrame.newBuilder().setFrameId("schema").setProducerId("it")
                    .setSource(FrameSource.newBuilder().setDataset(null).setIndex(null).setFileName(null).build())
                    .setCaptureTime(Instant.EPOCH).setWidth(1).setHeight(1).setChannels(3)
                    .setEncoding(PixelEncoding.RAW_RGB8_HWC).setPixels(ByteBuffer.wrap(new byte[3]))
                    .setGroundTruth(null).setLabelSet(null).build());
        }
    }

    /**
     * Every committed frame of a topic, decoded by the project's deserializer, in the order of their frame ids' sequence
     * numbers (the examples end ids with one); fails unless there are exactly {@code expected}.
     */
    static List<ConsumerRecord<String, ImageFrame>> read(LocalStack stack, String topic, int expected) {
        List<ConsumerRecord<String, ImageFrame>> records = new ArrayList<>();
        try (AvroDeserializer<ImageFrame> frames = AvroDeserializer.forClass(ImageFrame.class);
             CommittedTopicReader reader = new CommittedTopicReader(stack.clientProperties(), topic)) {
            frames.configure(stack.clientProperties(), false);
            reader.readToEnd(r -> records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(),
                    new String(r.key(), StandardCharsets.UTF_8), frames.deserialize(r.topic(), r.partition(), r.offset(), r.value()))),
                    Duration.ofSeconds(60));
        }
        assertThat(records).as("frames on %s", topic).hasSize(expected);
        records.sort(Comparator.comparingLong(r -> Long.parseLong(r.key().substring(r.key().lastIndexOf('-') + 1))));
        return records;
    }
}
