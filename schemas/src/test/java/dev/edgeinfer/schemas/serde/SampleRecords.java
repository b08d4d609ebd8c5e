package dev.edgeinfer.schemas.serde;

import dev.edgeinfer.avro.Accelerator;
import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.HostInfo;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Hand-built records of every contract, with every field set, for serde tests. */
public final class SampleRecords {

    private SampleRecords() {
    }

    public static ImageFrame frame(String frameId) {
        byte[] pixels = new byte[32 * 32 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31);
        }
        return ImageFrame.newBuilder()
                .setFrameId(frameId)
                .setProducerId("camera-7")
                .setSource(FrameSource.newBuilder().setDataset("cifar-10/test").setIndex(42L).setFileName(null).build())
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setWidth(32).setHeight(32).setChannels(3)
                .setEncoding(PixelEncoding.RAW_RGB8_HWC)
                .setPixels(ByteBuffer.wrap(pixels))
                .setGroundTruth(3)
                .setLabelSet("cifar-10")
                .build();
    }

    public static ModelRef model() {
        return ModelRef.newBuilder().setName("cifar10-resnet9q").setVersion("1.0.0").setArtifactId("openvino-int8")
                .setPrecision(Precision.INT8).setSha256("ab".repeat(32)).build();
    }

    public static Accelerator accelerator() {
        return Accelerator.newBuilder().setDevice("CPU").setFullName("Example CPU @ 2.0GHz").build();
    }

    public static Prediction prediction(String frameId) {
        return Prediction.newBuilder()
                .setFrameId(frameId)
                .setFrameCaptureTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setFrameTimestamp(Instant.ofEpochMilli(1_700_000_000_200L))
                .setDeviceId("pi-001").setDeviceType("rpi5-openvino-cpu-int8").setEngine("openvino")
                .setAccelerator(accelerator()).setModel(model())
                .setTopK(List.of(new ClassScore(3, "cat", 0.91f), new ClassScore(5, "dog", 0.05f)))
                .setPredictedClass(3).setPredictedLabel("cat").setGroundTruth(3)
                .setTimings(new DeviceTimings(120L, 80L, 950L, 1300L))
                .setBatchSize(4)
                .setReceivedTime(Instant.ofEpochMilli(1_700_000_000_210L))
                .setPublishTime(Instant.ofEpochMilli(1_700_000_000_212L))
                .build();
    }

    public static DeviceHeartbeat heartbeat() {
        return DeviceHeartbeat.newBuilder()
                .setDeviceId("pi-001").setDeviceType("rpi5-openvino-cpu-int8").setEngine("openvino")
                .setAccelerator(accelerator()).setModel(model())
                .setHost(new HostInfo("pi-001.local", "Linux 6.6", "aarch64", 4, 512L << 20, "17.0.15"))
                .setUptimeMillis(60_000L).setFramesProcessed(1234L).setFramesFailed(2L).setConsumerLag(17L)
                .setSentTime(Instant.ofEpochMilli(1_700_000_060_000L))
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setOriginalTopic("edge.frames.v1").setOriginalPartition(2).setOriginalOffset(99L)
                .setOriginalTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
                .setOriginalKey(ByteBuffer.wrap(new byte[] {1, 2}))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {9, 9, 9}))
                .setFrameId(null)
                .setStage(FailureStage.DESERIALIZE)
                .setErrorClass("dev.edgeinfer.schemas.serde.AvroSerdeException")
                .setReason("UNKNOWN_MAGIC_BYTE in topic edge.frames.v1 partition 2 offset 99")
                .setDeviceId("pi-001").setDeviceType("rpi5-openvino-cpu-int8")
                .setTime(Instant.ofEpochMilli(1_700_000_000_500L))
                .build();
    }
}
