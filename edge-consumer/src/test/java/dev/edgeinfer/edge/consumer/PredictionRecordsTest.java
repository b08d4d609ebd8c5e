package dev.edgeinfer.edge.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.HostInfo;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.ClassScore;
import dev.edgeinfer.edge.engine.EngineDescription;
import dev.edgeinfer.edge.engine.InferenceTimings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** How a frame and its batch's result become a prediction record, and the device's counts a heartbeat: no Kafka. */
class PredictionRecordsTest {

    private static final EdgeConsumerSettings SETTINGS = new EdgeConsumerSettings("pi-7", "rpi5-openvino-cpu-int8",
            DeliveryMode.EXACTLY_ONCE, Batching.ADAPTIVE, 32, Duration.ofMillis(20), Duration.ofMillis(100),
            Duration.ofSeconds(5), "frames", "predictions", "dead-letters", "heartbeats");
    private static final EngineDescription ENGINE = new EngineDescription("openvino", "2026.0", "CPU", "Cortex-A76",
            "cifar10-resnet9q", "3", "openvino-int8", "int8", "ab12", Map.of());
    private static final HostInfo HOST = new HostInfo("pi-7", "Linux 6.6", "aarch64", 4, 72L << 20, "17.0.13");

    private final PredictionRecords records = new PredictionRecords(SETTINGS, ENGINE, HOST);

    @Test
    void aPredictionCarriesTheFrameTheDeviceTheModelAndWhereTheTimeWent() {
        ConsumerRecord<byte[], ByteBuffer> frameRecord = new ConsumerRecord<>("frames", 2, 41, 1_700_000_000_123L,
                TimestampType.LOG_APPEND_TIME, 8, 3000, "frame-41".getBytes(), ByteBuffer.allocate(3000), new RecordHeaders(),
                Optional.empty());
        Instant received = Instant.parse("2026-12-07T10:00:00.500Z");
        // Received at 1,000 us on the monotonic clock, batch started at 3,000, handed off at 9,500.
        DecodedFrame frame = new DecodedFrame(new Received(frameRecord, 1_000_000, received), "frame-41",
                Instant.parse("2026-12-07T10:00:00.400Z"), 7, null, "camera-3");
        BatchResult result = new BatchResult(List.of(
                new dev.edgeinfer.edge.engine.Prediction(new float[] {0.1f, 0.9f}, List.of(new ClassScore(1, "automobile", 0.9f),
                        new ClassScore(0, "airplane", 0.1f))),
                new dev.edgeinfer.edge.engine.Prediction(new float[] {0.8f, 0.2f}, List.of(new ClassScore(0, "airplane", 0.8f),
                        new ClassScore(1, "automobile", 0.2f)))),
                new InferenceTimings(400, 5_000, 100));
        Instant published = Instant.parse("2026-12-07T10:00:00.509Z");

        Output output = records.prediction(frame, result, 1, new PredictionRecords.BatchTimes(3_000_000, 250, 2, 9_500_000, published));

        assertThat(output.topic()).isEqualTo("predictions");
        assertThat(output.key()).isEqualTo("frame-41");
        assertThat(output.frame()).isSameAs(frameRecord);
        Prediction prediction = (Prediction) output.value();
        assertThat(prediction.getFrameId()).isEqualTo("frame-41");
        assertThat(prediction.getProducerId()).isEqualTo("camera-3");
        assertThat(prediction.getFrameLabelSet()).isNull();
        assertThat(prediction.getFrameTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(prediction.getDeviceId()).isEqualTo("pi-7");
        assertThat(prediction.getDeviceType()).isEqualTo("rpi5-openvino-cpu-int8");
        assertThat(prediction.getPredictedClass()).as("the second frame's answer, not the first's").isZero();
        assertThat(prediction.getPredictedLabel()).isEqualTo("airplane");
        assertThat(prediction.getTopK()).extracting(score -> score.getLabel()).containsExactly("airplane", "automobile");
        assertThat(prediction.getGroundTruth()).isEqualTo(7);
        assertThat(prediction.getModel().getPrecision()).isEqualTo(Precision.INT8);
        assertThat(prediction.getModel().getSha256()).isEqualTo("ab12");
        assertThat(prediction.getAccelerator().getFullName()).isEqualTo("Cortex-A76");
        assertThat(prediction.getTimings().getQueueWaitMicros()).isEqualTo(2_000);
        assertThat(prediction.getTimings().getPreprocessMicros()).as("decoding and the engine's preprocessing").isEqualTo(650);
        assertThat(prediction.getTimings().getInferenceMicros()).isEqualTo(5_000);
        assertThat(prediction.getTimings().getTotalOnDeviceMicros()).isEqualTo(8_500);
        assertThat(prediction.getBatchSize()).isEqualTo(2);
        assertThat(prediction.getReceivedTime()).isEqualTo(received);
        assertThat(prediction.getPublishTime()).isEqualTo(published);
    }

    @Test
    void aHeartbeatCarriesTheDeviceFactsAndCounts() {
        Output output = records.heartbeat(60_000, 1_200, 3, -1, null, Instant.parse("2026-12-07T10:01:00Z"));
        assertThat(output.topic()).isEqualTo("heartbeats");
        assertThat(output.key()).isEqualTo("pi-7");
        assertThat(output.frame()).as("no frame to dead-letter in its place").isNull();
        DeviceHeartbeat heartbeat = (DeviceHeartbeat) output.value();
        assertThat(heartbeat.getFramesProcessed()).isEqualTo(1_200);
        assertThat(heartbeat.getFramesFailed()).isEqualTo(3);
        assertThat(heartbeat.getConsumerLag()).isEqualTo(-1);
        assertThat(heartbeat.getHost().getArch()).isEqualTo("aarch64");
        assertThat(heartbeat.getModel().getArtifactId()).isEqualTo("openvino-int8");
    }

    @Test
    void anUnknownPrecisionIsSaidSo() {
        assertThat(PredictionRecords.precision("fp16")).isEqualTo(Precision.FP16);
        assertThat(PredictionRecords.precision("q4")).isEqualTo(Precision.UNKNOWN);
    }
}
