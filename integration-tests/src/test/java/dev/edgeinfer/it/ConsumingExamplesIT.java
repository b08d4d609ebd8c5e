package dev.edgeinfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.serde.SampleRecords;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subscribing examples of docs/consuming-predictions.md in Python, JavaScript and Java against the local stack:
 * each must print exactly the committed predictions, dead letters and heartbeats of the device type asked for, decoded
 * with the schemas the registry holds. The topics start with an aborted transaction of the same device type, which a
 * reader that is not {@code read_committed} would print first.
 */
class ConsumingExamplesIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final String WANTED = "rpi5-openvino-cpu-int8";
    private static final String OTHER = "x86-onnxruntime-cpu-fp32";
    private static final int TIMEOUT_SECONDS = 120;

    /** topic and key of every committed record of the wanted device type. */
    private static final Set<String> EXPECTED = Set.of(
            Topics.PREDICTIONS + " frame-wanted", Topics.DEAD_LETTERS + " frame-wanted-failed",
            Topics.HEARTBEATS + " pi-wanted");

    @TempDir
    Path dir;

    @BeforeAll
    static void writeRecords() throws Exception {
        try (var admin = LOCAL.stack().createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(Topics.all());
        }
        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "consuming-examples-" + UUID.randomUUID());
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(configs, new StringSerializer(), serializer)) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, "aborted", WANTED);
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            send(producer, "other", OTHER);
            send(producer, "wanted", WANTED);
            producer.commitTransaction();
        }
    }

    /** One prediction, dead letter and heartbeat of a device type, all on partition 0 so their order is known. */
    private static void send(KafkaProducer<String, SpecificRecord> producer, String name, String deviceType) {
        Prediction prediction = Prediction.newBuilder(SampleRecords.prediction("frame-" + name)).setDeviceType(deviceType).build();
        DeadLetter letter = DeadLetter.newBuilder(SampleRecords.deadLetter()).setFrameId("frame-" + name + "-failed")
                .setDeviceId("pi-" + name).setDeviceType(deviceType).build();
        DeviceHeartbeat heartbeat = DeviceHeartbeat.newBuilder(SampleRecords.heartbeat()).setDeviceId("pi-" + name)
                .setDeviceType(deviceType).build();
        producer.send(new ProducerRecord<>(Topics.PREDICTIONS, 0, "frame-" + name, prediction));
        producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, 0, "frame-" + name + "-failed", letter));
        producer.send(new ProducerRecord<>(Topics.HEARTBEATS, 0, "pi-" + name, heartbeat));
    }

    @Test
    void pythonPrintsTheCommittedRecordsOfTheDeviceType() throws Exception {
        List<String> command = ExampleRun.python("consume_predictions.py");
        command.addAll(connection());
        command.addAll(List.of("--group-id", "python-" + UUID.randomUUID(), "--timeout", "90"));
        assertPrinted(ExampleRun.runJson(command, dir, TIMEOUT_SECONDS));
    }

    @Test
    void javaScriptPrintsTheCommittedRecordsOfTheDeviceType() throws Exception {
        List<String> command = ExampleRun.node("consume-predictions.js");
        command.addAll(connection());
        command.addAll(List.of("--group-id", "js-" + UUID.randomUUID(), "--timeout", "90"));
        assertPrinted(ExampleRun.runJson(command, dir, TIMEOUT_SECONDS));
    }

    @Test
    void javaPrintsTheCommittedRecordsOfTheDeviceType() throws Exception {
        Path properties = ExampleRun.writeProperties(dir.resolve("client.properties"), LOCAL.stack().clientProperties());
        List<String> command = ExampleRun.javaSource("java/ConsumePredictions.java");
        command.addAll(List.of("--config", properties.toString(), "--device-type", WANTED,
                "--group-id", "java-" + UUID.randomUUID(), "--max-records", "3"));
        List<String> lines = ExampleRun.run(command, dir, TIMEOUT_SECONDS);
        assertThat(lines).hasSize(3);
        Set<String> printed = new java.util.HashSet<>();
        for (String line : lines) {
            String[] fields = line.split("\t", 5);
            printed.add(fields[0] + " " + fields[3]);
            assertThat(fields[4]).contains("\"deviceType\": \"" + WANTED + "\"");
        }
        assertThat(printed).isEqualTo(EXPECTED);
    }

    private static List<String> connection() {
        return new ArrayList<>(List.of("--bootstrap-servers", LOCAL.stack().bootstrapServers(),
                "--schema-registry-url", LOCAL.stack().schemaRegistryUrl(), "--device-type", WANTED, "--max-records", "3"));
    }

    private static void assertPrinted(List<JsonNode> lines) {
        assertThat(lines.stream().map(l -> l.get("topic").asText() + " " + l.get("key").asText()).collect(Collectors.toSet()))
                .isEqualTo(EXPECTED);
        assertThat(lines).hasSize(3).allSatisfy(line -> {
            assertThat(line.get("partition").asInt()).isZero();
            assertThat(line.get("value").get("deviceType").asText()).isEqualTo(WANTED);
        });
        JsonNode prediction = lines.stream().filter(l -> l.get("topic").asText().equals(Topics.PREDICTIONS)).findFirst()
                .orElseThrow().get("value");
        Prediction expected = SampleRecords.prediction("frame-wanted");
        assertThat(prediction.get("frameId").asText()).isEqualTo("frame-wanted");
        assertThat(prediction.get("predictedLabel").asText()).isEqualTo(expected.getPredictedLabel());
        assertThat(prediction.get("topK").get(0).get("label").asText()).isEqualTo("cat");
        assertThat(prediction.get("publishTime").asLong()).isEqualTo(expected.getPublishTime().toEpochMilli());
        assertThat(prediction.get("timings").get("inferenceMicros").asLong())
                .isEqualTo(expected.getTimings().getInferenceMicros());
        JsonNode letter = lines.stream().filter(l -> l.get("topic").asText().equals(Topics.DEAD_LETTERS)).findFirst()
                .orElseThrow().get("value");
        assertThat(letter.get("stage").asText()).isEqualTo("DESERIALIZE");
        assertThat(letter.get("originalValue").asText()).isEqualTo("090909");
    }
}
