package dev.edgeinfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerdeConfig;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.serde.SampleRecords;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clients nobody here wrote: Confluent's Python client with its Avro serializer and this project's serde read each
 * other's records through the running registry and broker, and write the very same Avro bytes after the header, for
 * every contract: frames (which any producer writes), predictions, dead letters and heartbeats (which any consumer
 * reads), in both directions.
 */
class ConfluentInteropIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final int COUNT = 5;

    @TempDir
    Path dir;

    /** A contract: the interop script's name for it, its generated class and {@code COUNT} Java-made records. */
    enum Contract {
        FRAME("frame", ImageFrame.class) {
            SpecificRecord sample(int i) {
                return javaFrame(i);
            }
        },
        PREDICTION("prediction", Prediction.class) {
            SpecificRecord sample(int i) {
                return Prediction.newBuilder(SampleRecords.prediction("java-" + i)).setBatchSize(i + 1)
                        .setGroundTruth(i % 2 == 0 ? i : null).build();
            }
        },
        DEAD_LETTER("dead-letter", DeadLetter.class) {
            SpecificRecord sample(int i) {
                return DeadLetter.newBuilder(SampleRecords.deadLetter()).setOriginalOffset(100L + i)
                        .setFrameId(i % 2 == 0 ? "java-" + i : null)
                        .setOriginalValue(i % 2 == 0 ? null : ByteBuffer.wrap(new byte[] {(byte) i}))
                        .setStage(FailureStage.values()[i % FailureStage.values().length]).build();
            }
        },
        HEARTBEAT("heartbeat", DeviceHeartbeat.class) {
            SpecificRecord sample(int i) {
                return DeviceHeartbeat.newBuilder(SampleRecords.heartbeat()).setDeviceId("pi-" + i).setFramesProcessed(10L * i).build();
            }
        };

        final String type;
        final Class<? extends SpecificRecord> recordClass;

        Contract(String type, Class<? extends SpecificRecord> recordClass) {
            this.type = type;
            this.recordClass = recordClass;
        }

        abstract SpecificRecord sample(int i);
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void javaWritesConfluentReads(Contract contract) throws Exception {
        String topic = "interop-java-to-confluent-" + contract.type;
        createTopic(topic);
        List<SpecificRecord> sent = new ArrayList<>();
        List<byte[]> sentBytes = new ArrayList<>();
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfigs(), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < COUNT; i++) {
                SpecificRecord record = contract.sample(i);
                byte[] bytes = serializer.serialize(topic, record);
                sent.add(record);
                sentBytes.add(bytes);
                producer.send(new ProducerRecord<>(topic, 0, "key-" + i, bytes)).get();
            }
        }

        List<JsonNode> read = runPython("consume", "--topic", topic, "--count", Integer.toString(COUNT));
        assertThat(read).hasSize(COUNT);
        for (int i = 0; i < COUNT; i++) {
            JsonNode line = read.get(i);
            assertThat(line.get("record")).as("%s %d as Confluent's client decoded it", contract, i).isEqualTo(asJson(sent.get(i)));
            assertThat(line.get("valueHex").asText()).isEqualTo(HEX.formatHex(sentBytes.get(i)));
            // Confluent's serializer, given the decoded record, writes the same schema id and the same Avro body.
            assertThat(line.get("reserializedHex").asText()).isEqualTo(HEX.formatHex(sentBytes.get(i)));
        }
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void confluentWritesJavaReads(Contract contract) throws Exception {
        String topic = "interop-confluent-to-java-" + contract.type;
        createTopic(topic);
        Path schemaFile = dir.resolve(contract.type + ".avsc");
        Files.writeString(schemaFile, SpecificData.get().getSchema(contract.recordClass).toString(), StandardCharsets.UTF_8);
        List<JsonNode> written = runPython("produce", "--topic", topic, "--count", Integer.toString(COUNT),
                "--schema-file", schemaFile.toString(), "--type", contract.type);
        assertThat(written).hasSize(COUNT);

        AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>(null, Map.of(), contract.recordClass);
        deserializer.configure(LOCAL.stack().clientProperties(), false);
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, LOCAL.stack().schemaRegistryUrl(),
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);
        List<ConsumerRecord<byte[], byte[]>> records = consumeAll(topic, COUNT);
        for (int i = 0; i < COUNT; i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            JsonNode expected = written.get(i);
            assertThat(HEX.formatHex(record.value())).isEqualTo(expected.get("valueHex").asText());
            SpecificRecord decoded = deserializer.deserialize(record);
            assertThat(decoded).isInstanceOf(contract.recordClass);
            assertThat(asJson(decoded)).as("%s %d as the project's serde decoded it", contract, i).isEqualTo(expected.get("record"));
            // Our serializer, given the decoded record, writes the same schema id and the same Avro body as Confluent's.
            byte[] ours = serializer.serialize(topic, decoded);
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

    /**
     * A record as the interop script prints one: every field by name, timestamps as epoch milliseconds, bytes as hex,
     * enums by symbol. Written and read back as text, so numbers compare by value and not by Java type.
     */
    private static JsonNode asJson(SpecificRecord record) throws IOException {
        return JSON.readTree(JSON.writeValueAsString(plain(record)));
    }

    private static Object plain(Object value) {
        if (value instanceof SpecificRecord record) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                fields.put(field.name(), plain(record.get(field.pos())));
            }
            return fields;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfluentInteropIT::plain).toList();
        }
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return HEX.formatHex(bytes);
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof CharSequence || value instanceof Enum<?>) {
            return value.toString();
        }
        return value;
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
