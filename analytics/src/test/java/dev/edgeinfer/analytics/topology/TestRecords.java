package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.avro.Accelerator;
import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.HostInfo;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import java.time.Instant;
import java.util.List;

/** Hand-built predictions, dead letters and heartbeats with just the fields the analytics read made explicit. */
public final class TestRecords {

    public static final String FP32 = "openvino-cpu-fp32";
    public static final String INT8 = "openvino-cpu-int8";
    public static final String ORT_FP32 = "onnxruntime-cpu-fp32";

    /** CIFAR-10 class names by index. */
    public static final List<String> LABELS = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private TestRecords() {
    }

    /** A prediction builder with neutral defaults: device {@code pi-1} of type FP32, class 3, no ground truth. */
    public static Builder prediction(String frameId) {
        return new Builder(frameId);
    }

    public static final class Builder {
        private final String frameId;
        private String deviceId = "pi-1";
        private String deviceType = FP32;
        private String engine = "openvino";
        private Precision precision = Precision.FP32;
        private int predicted = 3;
        private Integer truth;
        private long inferenceMicros = 100;
        private long onDeviceMicros = 200;
        private long frameTimestamp;
        private String modelVersion = "1.0.0";
        private String producerId;

        private Builder(String frameId) {
            this.frameId = frameId;
        }

        public Builder device(String id, String type, Precision modelPrecision) {
            this.deviceId = id;
            this.deviceType = type;
            this.precision = modelPrecision;
            this.engine = type.startsWith("onnxruntime") ? "onnxruntime" : "openvino";
            return this;
        }

        public Builder producer(String id) {
            this.producerId = id;
            return this;
        }

        public Builder modelVersion(String version) {
            this.modelVersion = version;
            return this;
        }

        public Builder predicted(int classIndex) {
            this.predicted = classIndex;
            return this;
        }

        public Builder truth(Integer classIndex) {
            this.truth = classIndex;
            return this;
        }

        public Builder inferenceMicros(long micros) {
            this.inferenceMicros = micros;
            return this;
        }

        public Builder onDeviceMicros(long micros) {
            this.onDeviceMicros = micros;
            return this;
        }

        /** The frame's broker timestamp; end-to-end latency is the prediction's timestamp minus this. */
        public Builder frameTimestamp(long epochMillis) {
            this.frameTimestamp = epochMillis;
            return this;
        }

        public Prediction build() {
            String label = predicted >= 0 && predicted < LABELS.size() ? LABELS.get(predicted) : "class-" + predicted;
            return Prediction.newBuilder()
                    .setFrameId(frameId)
                    .setFrameCaptureTime(Instant.ofEpochMilli(frameTimestamp))
                    .setFrameTimestamp(Instant.ofEpochMilli(frameTimestamp))
                    .setDeviceId(deviceId).setDeviceType(deviceType).setEngine(engine)
                    .setAccelerator(new Accelerator("CPU", "Test CPU"))
                    .setModel(new ModelRef("cifar10-resnet9q", modelVersion,
                            engine + "-" + precision.name().toLowerCase(java.util.Locale.ROOT),
                            precision, "00".repeat(32)))
                    .setTopK(List.of(new ClassScore(predicted, label, 0.9f)))
                    .setPredictedClass(predicted).setPredictedLabel(label)
                    .setGroundTruth(truth)
                    .setTimings(new DeviceTimings(0L, 0L, inferenceMicros, onDeviceMicros))
                    .setBatchSize(1)
                    .setReceivedTime(Instant.ofEpochMilli(frameTimestamp))
                    .setPublishTime(Instant.ofEpochMilli(frameTimestamp))
                    .setProducerId(producerId)
                    .build();
        }
    }

    /** A dead letter from the given device (both may be null) at the given stage. */
    public static DeadLetter deadLetter(String deviceId, String deviceType, FailureStage stage) {
        return DeadLetter.newBuilder()
                .setOriginalTopic("edge.frames.v1").setOriginalPartition(0).setOriginalOffset(1L)
                .setStage(stage).setErrorClass("java.lang.IllegalStateException").setReason("test")
                .setDeviceId(deviceId).setDeviceType(deviceType)
                .setTime(Instant.ofEpochMilli(0))
                .build();
    }

    /** A heartbeat of a device. */
    public static DeviceHeartbeat heartbeat(String deviceId, String deviceType, Precision precision, long sentTime) {
        return DeviceHeartbeat.newBuilder()
                .setDeviceId(deviceId).setDeviceType(deviceType).setEngine("openvino")
                .setAccelerator(new Accelerator("CPU", "Test CPU"))
                .setModel(new ModelRef("cifar10-resnet9q", "1.0.0", "openvino-" + precision.name().toLowerCase(java.util.Locale.ROOT),
                        precision, "00".repeat(32)))
                .setHost(new HostInfo(deviceId, "Linux", "aarch64", 4, 1L << 30, "17"))
                .setUptimeMillis(1000L).setFramesProcessed(42L).setFramesFailed(1L).setConsumerLag(7L)
                .setSentTime(Instant.ofEpochMilli(sentTime))
                .build();
    }
}
