package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.avro.Accelerator;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.HostInfo;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simulated devices and the records they write, filled in as the edge consumer fills its own: predictions and
 * dead letters keyed by frame id, heartbeats by device id, device ids {@code <host>-<device type>}, and per type one
 * accelerator and one model reference shared by all its records.
 *
 * <p>Devices are numbered fleet-wide, type by type. Each counts the frames it predicted and failed, for its heartbeats;
 * the counts are kept by the sending thread only.
 */
final class FleetRecords {

    /** Failed frames are placed on the frames topic as if it had the pipeline's default partitions. */
    private static final int FRAME_PARTITIONS = Topics.DEFAULT_PARTITIONS;
    private static final long MAX_HEAP_BYTES = 512L * 1024 * 1024;
    private static final String JAVA_RUNTIME = "21.0.5+11-LTS";

    private final FleetSettings settings;
    private final List<Accelerator> accelerators = new ArrayList<>();
    private final List<ModelRef> models = new ArrayList<>();
    private final int[] firstDevice;
    private final String[] deviceIds;
    private final int[] deviceType;
    private final HostInfo[] hosts;
    private final long[] processed;
    private final long[] failed;

    FleetRecords(FleetSettings settings) {
        this.settings = settings;
        int types = settings.types().size();
        firstDevice = new int[types + 1];
        for (int t = 0; t < types; t++) {
            DeviceType type = settings.types().get(t).type();
            accelerators.add(new Accelerator(type.accelerator(), type.acceleratorFullName()));
            models.add(new ModelRef(DeviceTypes.MODEL_NAME, DeviceTypes.MODEL_VERSION, type.artifactId(),
                    type.precision(), type.artifactSha256()));
            firstDevice[t + 1] = firstDevice[t] + settings.devicesOf(t);
        }
        deviceIds = new String[settings.devices()];
        deviceType = new int[settings.devices()];
        hosts = new HostInfo[settings.devices()];
        String digits = "%0" + Math.max(3, Integer.toString(settings.devices() - 1).length()) + "d";
        for (int t = 0; t < types; t++) {
            DeviceType type = settings.types().get(t).type();
            for (int device = firstDevice[t]; device < firstDevice[t + 1]; device++) {
                String host = "sim-" + String.format(Locale.ROOT, digits, device);
                deviceIds[device] = host + "-" + type.name();
                deviceType[device] = t;
                hosts[device] = new HostInfo(host, type.hostOs(), type.hostArch(), type.hostCpuCores(), MAX_HEAP_BYTES,
                        JAVA_RUNTIME);
            }
        }
        processed = new long[settings.devices()];
        failed = new long[settings.devices()];
    }

    /** The fleet-wide index of a type's device. */
    int device(int typeIndex, int deviceIndex) {
        return firstDevice[typeIndex] + deviceIndex;
    }

    /** The id of a device, by fleet-wide index. */
    String deviceId(int device) {
        return deviceIds[device];
    }

    /**
     * A result's prediction, counted for its device's heartbeats.
     *
     * @param frameTime when the frame reached the frames topic: the frame's broker timestamp
     */
    Prediction prediction(SimulatedFrame frame, SimulatedFrame.TypeResult result, Instant frameTime) {
        int device = device(result.typeIndex(), result.deviceIndex());
        processed[device]++;
        Instant received = frameTime.plusNanos(result.transportMicros() * 1000);
        TypeProfile type = settings.types().get(result.typeIndex());
        // The constructor, not the builder, as the edge consumer: the builder checks every field again.
        return new Prediction(frame.frameId(), frameTime.minusNanos(frame.captureLeadMicros() * 1000), frameTime,
                deviceIds[device], type.name(), type.type().engine(), accelerators.get(result.typeIndex()),
                models.get(result.typeIndex()), result.topK(), result.predictedClass(),
                result.topK().get(0).getLabel(), frame.labelled() ? frame.truth() : null, result.timings(), 1, received,
                received.plusNanos(result.timings().getTotalOnDeviceMicros() * 1000), null, null);
    }

    /**
     * A failed result's dead letter, counted for its device's heartbeats. The frame's bytes are not simulated, so
     * the letter names the frame and where it would have been read, and carries its key but no value.
     *
     * @param frameTime when the frame reached the frames topic: the frame's broker timestamp
     */
    DeadLetter deadLetter(SimulatedFrame frame, SimulatedFrame.TypeResult result, Instant frameTime) {
        int device = device(result.typeIndex(), result.deviceIndex());
        failed[device]++;
        int partition = (int) (frame.sequence() % FRAME_PARTITIONS);
        long offset = frame.sequence() / FRAME_PARTITIONS;
        String message = result.failure() == FailureStage.DECODE
                ? "RAW_RGB8_HWC frame of 32x32x3 needs 3072 pixel bytes, has 3071 (simulated)"
                : "infer request failed: device lost (simulated)";
        String reason = result.failure() + " failed for frame " + frame.frameId() + " at " + Topics.FRAMES + "-"
                + partition + "@" + offset + " on device " + deviceIds[device] + ": " + message;
        Instant failedAt = frameTime.plusNanos(result.delayMicros() * 1000);
        return new DeadLetter(Topics.FRAMES, partition, offset, frameTime,
                ByteBuffer.wrap(frame.frameId().getBytes(StandardCharsets.UTF_8)), null, frame.frameId(), result.failure(),
                result.failure() == FailureStage.DECODE ? IllegalArgumentException.class.getName()
                        : "dev.edgeinfer.edge.engine.InferenceException",
                reason, deviceIds[device], settings.types().get(result.typeIndex()).name(), failedAt);
    }

    /**
     * A device's heartbeat with its counts so far.
     *
     * @param uptimeMillis time since the run started
     * @param sentTime     when it is due
     */
    DeviceHeartbeat heartbeat(int device, long uptimeMillis, Instant sentTime) {
        int type = deviceType[device];
        DeviceType kind = settings.types().get(type).type();
        return new DeviceHeartbeat(deviceIds[device], kind.name(), kind.engine(), accelerators.get(type), models.get(type),
                hosts[device], uptimeMillis, processed[device], failed[device], 0L, sentTime, null, null);
    }
}
