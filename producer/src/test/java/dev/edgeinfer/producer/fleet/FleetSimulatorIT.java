package dev.edgeinfer.producer.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's command line against a real broker and registry: the three topics are read back with the project's
 * deserializer and counted, and every count must equal the summary JSON's exactly.
 */
@ExtendWith(LocalStackExtension.class)
class FleetSimulatorIT {

    @TempDir
    Path tmp;

    @Test
    void topicsHoldExactlyWhatTheSummarySays(LocalStack stack) throws Exception {
        Path json = tmp.resolve("summary.json");
        StringWriter out = new StringWriter();
        picocli.CommandLine commandLine = FleetSimulatorApp.commandLine();
        commandLine.setOut(new PrintWriter(out));
        int exit = commandLine.execute("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--devices", "12", "--device-types", "3",
                "--total-rate", "3000", "--predictions", "4000", "--dead-letter-share", "0.02",
                "--ground-truth-share", "0.8", "--heartbeat-interval", "200ms", "--seed", "77",
                "--summary-json", json.toString());

        assertThat(exit).as(out.toString()).isZero();
        FleetSummary summary = FleetSummary.readJson(json);
        assertThat(out.toString()).contains("written: 4000 prediction(s)");
        assertThat(summary.predictions()).isEqualTo(4000);
        assertThat(summary.deadLetters()).isPositive();
        assertThat(summary.heartbeats()).isPositive();
        assertThat(summary.sendErrors()).isZero();

        List<ConsumerRecord<String, SpecificRecord>> predictions = readAll(stack, Topics.PREDICTIONS, summary.predictions());
        List<ConsumerRecord<String, SpecificRecord>> deadLetters = readAll(stack, Topics.DEAD_LETTERS, summary.deadLetters());
        List<ConsumerRecord<String, SpecificRecord>> heartbeats = readAll(stack, Topics.HEARTBEATS, summary.heartbeats());
        assertThat(predictions).hasSize((int) summary.predictions());
        assertThat(deadLetters).hasSize((int) summary.deadLetters());
        assertThat(heartbeats).hasSize((int) summary.heartbeats());

        for (FleetSummary.DeviceTypeTotals type : summary.deviceTypes()) {
            List<Prediction> ofType = predictions.stream().map(r -> (Prediction) r.value())
                    .filter(p -> p.getDeviceType().equals(type.deviceType())).toList();
            assertThat(ofType).as("predictions of %s", type.deviceType()).hasSize((int) type.predictions());
            assertThat(ofType.stream().filter(p -> p.getGroundTruth() != null).count()).isEqualTo(type.withGroundTruth());
            assertThat(ofType.stream().filter(p -> Integer.valueOf(p.getPredictedClass()).equals(p.getGroundTruth())).count())
                    .isEqualTo(type.correct());
            assertThat(ofType.stream().map(Prediction::getDeviceId).distinct().count()).isEqualTo(type.devices());
            assertThat(deadLetters.stream().filter(r -> ((DeadLetter) r.value()).getDeviceType().equals(type.deviceType())))
                    .hasSize((int) type.deadLetters());
        }
        // No frame is predicted twice by one type.
        assertThat(new HashSet<>(predictions.stream()
                .map(r -> r.key() + "/" + ((Prediction) r.value()).getDeviceType()).toList())).hasSize(predictions.size());
        assertThat(predictions).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(((Prediction) r.value()).getFrameId()).startsWith("sim-77-");
            assertThat(r.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(r.timestamp()).as("broker time after the frame's").isGreaterThanOrEqualTo(
                    ((Prediction) r.value()).getFrameTimestamp().toEpochMilli());
        });
        assertThat(heartbeats).allSatisfy(r -> assertThat(r.key()).isEqualTo(((DeviceHeartbeat) r.value()).getDeviceId()));
    }

    private static List<ConsumerRecord<String, SpecificRecord>> readAll(LocalStack stack, String topic, long expected) {
        Map<String, Object> config = stack.clientProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AvroDeserializer<SpecificRecord> values = new AvroDeserializer<>();
        values.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl(), "specific.avro.reader", true), false);
        List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // One more short poll so that extra records, if any, would be seen.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
