package dev.edgeinfer.producer.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.producer.rate.FakeTicker;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetSimulationTest {

    private static final Instant WALL_START = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void writesWhatTheSummaryCountsKeyedAndFilledLikeTheEdgeConsumers() throws Exception {
        // 6 devices of 3 types, 300 results/s for 1 s: 100 frames; heartbeats every 250 ms.
        FleetSettings settings = FleetSettings.defaults(6, 3, 5).withPredictionRate(300)
                .withLimits(Duration.ofSeconds(1), 0).withHeartbeatInterval(Duration.ofMillis(250)).withShares(0.05, 0.5);
        MockProducer<String, SpecificRecord> producer = producer();
        FleetSummary summary = simulation(producer, settings).run();

        Map<String, List<ProducerRecord<String, SpecificRecord>>> byTopic = producer.history().stream()
                .collect(Collectors.groupingBy(ProducerRecord::topic));
        List<ProducerRecord<String, SpecificRecord>> predictions = byTopic.get(Topics.PREDICTIONS);
        List<ProducerRecord<String, SpecificRecord>> deadLetters = byTopic.get(Topics.DEAD_LETTERS);
        assertThat(summary.predictions()).isEqualTo(predictions.size());
        assertThat(summary.deadLetters()).isEqualTo(deadLetters.size()).isPositive();
        assertThat(summary.predictions() + summary.deadLetters()).as("every type, every frame").isEqualTo(300);
        assertThat(summary.heartbeats()).isEqualTo(byTopic.get(Topics.HEARTBEATS).size()).isEqualTo(6 * 4);
        assertThat(summary.frames()).isEqualTo(100);
        assertThat(summary.sendErrors()).isZero();
        assertThat(summary.stopReason()).isEqualTo("duration reached");
        assertThat(summary.achievedPredictionRate()).as("a fake clock keeps the plan").isBetween(290.0, 310.0);
        assertThat(summary.lagMaxMillis()).isZero();
        for (FleetSummary.DeviceTypeTotals type : summary.deviceTypes()) {
            List<Prediction> ofType = predictions.stream().map(r -> (Prediction) r.value())
                    .filter(p -> p.getDeviceType().equals(type.deviceType())).toList();
            assertThat(type.predictions()).isEqualTo(ofType.size());
            assertThat(type.withGroundTruth()).isEqualTo(ofType.stream().filter(p -> p.getGroundTruth() != null).count());
            assertThat(type.correct()).isEqualTo(ofType.stream()
                    .filter(p -> Integer.valueOf(p.getPredictedClass()).equals(p.getGroundTruth())).count());
            assertThat(type.devices()).isEqualTo(2);
        }

        ProducerRecord<String, SpecificRecord> first = predictions.get(0);
        Prediction prediction = (Prediction) first.value();
        assertThat(first.key()).isEqualTo(prediction.getFrameId()).matches("sim-5-\\d+");
        assertThat(prediction.getDeviceId()).matches("sim-\\d{3}-" + prediction.getDeviceType());
        assertThat(prediction.getModel().getName()).isEqualTo("cifar10-resnet9q");
        assertThat(prediction.getModel().getPrecision()).isNotEqualTo(Precision.UNKNOWN);
        assertThat(prediction.getTopK()).hasSize(3);
        assertThat(prediction.getPredictedLabel()).isEqualTo(prediction.getTopK().get(0).getLabel());
        assertThat(prediction.getBatchSize()).isEqualTo(1);
        assertThat(prediction.getFrameTimestamp()).isAfterOrEqualTo(WALL_START).isBefore(prediction.getReceivedTime());
        assertThat(prediction.getFrameCaptureTime()).isBefore(prediction.getFrameTimestamp());
        // Avro keeps times in whole milliseconds.
        assertThat(Duration.between(prediction.getReceivedTime(), prediction.getPublishTime()).toNanos() / 1000)
                .isCloseTo(prediction.getTimings().getTotalOnDeviceMicros(), org.assertj.core.api.Assertions.within(1000L));

        DeadLetter letter = (DeadLetter) deadLetters.get(0).value();
        assertThat(deadLetters.get(0).key()).isEqualTo(letter.getFrameId());
        assertThat(letter.getReason()).contains(letter.getStage().toString(), letter.getFrameId(), letter.getDeviceId());
        assertThat(letter.getDeviceId()).endsWith(letter.getDeviceType());
        assertThat(letter.getOriginalTopic()).isEqualTo(Topics.FRAMES);

        ProducerRecord<String, SpecificRecord> beat = byTopic.get(Topics.HEARTBEATS).get(0);
        assertThat(beat.key()).isEqualTo(((DeviceHeartbeat) beat.value()).getDeviceId());
    }

    @Test
    void stopsAtTheNumberOfPredictionsAndTheSummaryReadsBackFromJson() throws Exception {
        FleetSettings settings = FleetSettings.defaults(10, 2, 1).withPredictionRate(1000).withLimits(null, 250);
        FleetSummary summary = simulation(producer(), settings).run();
        assertThat(summary.predictions()).isEqualTo(250);
        assertThat(summary.stopReason()).isEqualTo("predictions reached");
        Path json = dir.resolve("out/summary.json");
        summary.writeJson(json);
        assertThat(FleetSummary.readJson(json)).isEqualTo(summary);
    }

    @Test
    void aRefusedRecordStopsTheRunNamingItsTopic() {
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(false, null, new StringSerializer(), serializer()) {
            @Override
            public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                                                                                                                   ProducerRecord<String, SpecificRecord> record,
                                                                                                                   org.apache.kafka.clients.producer.Callback callback) {
                var future = super.send(record, callback);
                errorNext(new TopicAuthorizationException("not allowed"));
                return future;
            }
        };
        FleetSettings settings = FleetSettings.defaults(2, 2, 1).withLimits(Duration.ofSeconds(1), 0);
        assertThatThrownBy(() -> simulation(producer, settings).run()).isInstanceOf(FleetException.class)
                .hasMessageContaining("Kafka refused the").hasMessageContaining("not allowed");
    }

    private FleetSimulation simulation(MockProducer<String, SpecificRecord> producer, FleetSettings settings) {
        Clock clock = ticker.wallClock(WALL_START);
        return new FleetSimulation(producer, settings, ticker, clock);
    }

    private static MockProducer<String, SpecificRecord> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), serializer());
    }

    /** The project's serializer over an in-memory registry, so every record is checked against its schema. */
    private static AvroSerializer<SpecificRecord> serializer() {
        AvroSerializer<SpecificRecord> avro = new AvroSerializer<>();
        avro.configure(Map.of("schema.registry.url", "mock://fleet-simulation-test"), false);
        return avro;
    }
}
