package dev.edgeinfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerdeConfig;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.serde.WireFormat;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients nobody here wrote: Confluent's Python client with its Avro serializer and this project's serde read each
 * other's records through the running registry and broker, and write the very same Avro bytes after the header.
 */
class ConfluentInteropIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final int COUNT = 5;

    @TempDir
    Path dir;

    @Test
    void javaWritesConfluentReads() throws Exception {
        String topic = "interop-java-to-confluent";
        createTopic(topic);
        List<ImageFrame> sent = new ArrayList<>();
        List<byte[]> sentBytes = new ArrayList<>();
        AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfigs(), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < COUNT; i++) {
                ImageFrame frame = javaFrame(i);
                byte[] bytes = serializer.serialize(topic, frame);
                sent.add(frame);
                sentBytes.add(bytes);
                producer.send(new ProducerRecord<>(topic, 0, frame.getFrameId(), bytes)).get();
            }
        }

        List<JsonNode> read = runPython("consume", "--topic", topic, "--count", Integer.toString(COUNT));
        assertThat(read).hasSize(COUNT);
        for (int i = 0; i < COUNT; i++) {
            JsonNode line = read.get(i);
            assertSameFrame(sent.get(i), line.get("frame"));
            assertThat(line.get("valueHex").asText()).isEqualTo(HEX.formatHex(sentBytes.get(i)));
            // Confluent's serializer, given the decoded record, writes the same schema id and the same Avro body.
            assertThat(line.get("reserializedHex").asText()).isEqualTo(HEX.formatHex(sentBytes.get(i)));
        }
    }

    @Test
    void confluentWritesJavaReads() throws Exception {
        String topic = "interop-confluent-to-java";
        createTopic(topic);
        Path schemaFile = dir.resolve("ImageFrame.avsc");
        Files.writeString(schemaFile, ImageFrame.getClassSchema().toString(), StandardCharsets.UTF_8);
        List<JsonNode> written =
                runPython("produce", "--topic", topic, "--count", Integer.toString(COUNT), "--schema-file", schemaFile.toString());
        assertThat(written).hasSize(COUNT);

        AvroDeserializer<ImageFrame> deserializer = AvroDeserializer.forClass(ImageFrame.class);
        deserializer.configure(LOCAL.stack().clientProperties(), false);
        AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, LOCAL.stack().schemaRegistryUrl(),
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);
        List<ConsumerRecord<byte[], byte[]>> records = consumeAll(topic, COUNT);
        for (int i = 0; i < COUNT; i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            JsonNode expected = written.get(i);
            assertThat(HEX.formatHex(record.value())).isEqualTo(expected.get("valueHex").asText());
            ImageFrame frame = deserializer.deserialize(record);
            assertSameFrame(frame, expected.get("frame"));
            // Our serializer, given the decoded record, writes the same schema id and the same Avro body as Confluent's.
            byte[] ours = serializer.serialize(topic, frame);
            assertThat(WireFormat.schemaId(ours, topic, 0, 0)).isEqualTo(WireFormat.schemaId(record.value(), topic, 0, 0));
            assertThat(Arrays.copyOfRange(ours, WireFormat.HEADER_SIZE, ours.length))
                    .isEqualTo(Arrays.copyOfRange(record.value(), WireFormat.HEADER_SIZE, record.value().length));
        }
    }

    private static ImageFrame javaFrame(int i) {
        byte[] pixels = new byte[4 * 4 * 3];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (i * 13 + k * 5);
        }
        return ImageFrame.newBuilder()
                .setFrameId("java-" + i).setProducerId("interop")
                .setSource(FrameSource.newBuilder().setDataset("cifar-10/test").setIndex((long) i).build())
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + i))
                .setWidth(4).setHeight(4).setChannels(3).setEncoding(PixelEncoding.RAW_RGB8_HWC)
                .setPixels(ByteBuffer.wrap(pixels))
                .setGroundTruth(i % 2 == 0 ? i : null).setLabelSet(i % 2 == 0 ? "cifar-10" : null)
                .build();
    }

    private static void assertSameFrame(ImageFrame frame, JsonNode json) {
        assertThat(json.get("frameId").asText()).isEqualTo(frame.getFrameId());
        assertThat(json.get("producerId").asText()).isEqualTo(frame.getProducerId());
        assertThat(textOrNull(json.get("source").get("dataset"))).isEqualTo(frame.getSource().getDataset());
        assertThat(json.get("source").get("index").isNull() ? null : json.get("source").get("index").asLong())
                .isEqualTo(frame.getSource().getIndex());
        assertThat(textOrNull(json.get("source").get("fileName"))).isEqualTo(frame.getSource().getFileName());
        assertThat(json.get("captureTime").asLong()).isEqualTo(frame.getCaptureTime().toEpochMilli());
        assertThat(json.get("width").asInt()).isEqualTo(frame.getWidth());
        assertThat(json.get("height").asInt()).isEqualTo(frame.getHeight());
        assertThat(json.get("channels").asInt()).isEqualTo(frame.getChannels());
        assertThat(json.get("encoding").asText()).isEqualTo(frame.getEncoding().name());
        ByteBuffer pixels = frame.getPixels().duplicate();
        byte[] bytes = new byte[pixels.remaining()];
        pixels.get(bytes);
        assertThat(json.get("pixels").asText()).isEqualTo(HEX.formatHex(bytes));
        assertThat(json.get("groundTruth").isNull() ? null : json.get("groundTruth").asInt()).isEqualTo(frame.getGroundTruth());
        assertThat(textOrNull(json.get("labelSet"))).isEqualTo(frame.getLabelSet());
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static void createTopic(String topic) throws InterruptedException {
        try (Admin admin = LOCAL.stack().createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(new TopicSpec(topic, 1, (short) 1, Map.of())));
        }
    }

    private static Map<String, Object> producerConfigs() {
        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return configs;
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int count) {
        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "interop-java-" + topic);
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        assertThat(records).as("records read back from %s", topic).hasSize(count);
        return records;
    }

    private List<JsonNode> runPython(String mode, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PythonEnvironment.python().toString(),
                PythonEnvironment.script("confluent_interop.py").toString(), mode,
                "--bootstrap", LOCAL.stack().bootstrapServers(), "--registry", LOCAL.stack().schemaRegistryUrl()));
        command.addAll(List.of(args));
        Path stderr = dir.resolve(mode + ".stderr");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("exit of %s; stderr:%n%s", command, Files.readString(stderr)).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
