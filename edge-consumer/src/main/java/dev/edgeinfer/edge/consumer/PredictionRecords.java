package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.Accelerator;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.HostInfo;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.ModelUpdate;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.ClassScore;
import dev.edgeinfer.edge.engine.EngineDescription;
import dev.edgeinfer.schemas.config.HostName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The Avro records a device writes about itself and its frames: a prediction from a frame and its batch's result, a
 * heartbeat from the device's counts. The device's facts (model, accelerator, host) are built once.
 */
final class PredictionRecords {

    private final EdgeConsumerSettings settings;
    private final EngineDescription engine;
    private final ModelRef model;
    private final Accelerator accelerator;
    private final HostInfo host;

    PredictionRecords(EdgeConsumerSettings settings, EngineDescription engine, HostInfo host) {
        this.settings = settings;
        this.engine = engine;
        this.model = ModelRef.newBuilder()
                .setName(engine.modelName())
                .setVersion(engine.modelVersion())
                .setArtifactId(engine.artifactId())
                .setPrecision(precision(engine.precision()))
                .setSha256(engine.sha256())
                .build();
        this.accelerator = new Accelerator(engine.device(), engine.deviceFullName());
        this.host = host;
    }

    HostInfo host() {
        return host;
    }

    /** The times of one batch, on the device's monotonic clock but {@code publishTime}. */
    record BatchTimes(long startNanos, long decodeMicros, int batchSize, long publishNanos, Instant publishTime) {
    }

    /** The prediction of the frame at {@code index} of its batch, keyed by its frame id. */
    Output prediction(DecodedFrame frame, BatchResult result, int index, BatchTimes times) {
        dev.edgeinfer.edge.engine.Prediction answer = result.predictions().get(index);
        List<dev.edgeinfer.avro.ClassScore> topK = new ArrayList<>(answer.topK().size());
        for (ClassScore score : answer.topK()) {
            topK.add(new dev.edgeinfer.avro.ClassScore(score.classIndex(), score.className(), score.probability()));
        }
        long receivedNanos = frame.received().receivedNanos();
        // The constructor, not the builder: it is called once per frame, and the builder checks every field again.
        Prediction prediction = new Prediction(frame.frameId(), frame.captureTime(),
                Instant.ofEpochMilli(frame.received().record().timestamp()), settings.deviceId(), settings.deviceType(),
                engine.engine(), accelerator, model, topK, answer.top().classIndex(), answer.top().className(),
                frame.groundTruth(),
                new DeviceTimings(Math.max(0, (times.startNanos() - receivedNanos) / 1_000),
                        times.decodeMicros() + result.timings().preprocessMicros(), result.timings().inferenceMicros(),
                        Math.max(0, (times.publishNanos() - receivedNanos) / 1_000)),
                times.batchSize(), frame.received().receivedAt(), times.publishTime(), frame.otherLabelSet(),
                frame.producerId());
        return new Output(settings.predictionsTopic(), frame.frameId(), prediction, frame.received().record(), frame.frameId());
    }

    /**
     * A heartbeat with the device's facts and these counts; {@code consumerLag} is -1 when unknown, {@code modelUpdate}
     * null when no model assignment applies.
     */
    Output heartbeat(long uptimeMillis, long framesProcessed, long framesFailed, long consumerLag, ModelUpdate modelUpdate,
                     Instant sentTime) {
        DeviceHeartbeat heartbeat = DeviceHeartbeat.newBuilder()
                .setDeviceId(settings.deviceId())
                .setDeviceType(settings.deviceType())
                .setEngine(engine.engine())
                .setAccelerator(accelerator)
                .setModel(model)
                .setHost(host)
                .setUptimeMillis(uptimeMillis)
                .setFramesProcessed(framesProcessed)
                .setFramesFailed(framesFailed)
                .setConsumerLag(consumerLag)
                .setSentTime(sentTime)
                .setModelUpdate(modelUpdate)
                .setHeartbeatIntervalMillis(settings.heartbeatInterval().toMillis())
                .build();
        return new Output(settings.heartbeatsTopic(), settings.deviceId(), heartbeat, null, null);
    }

    /** Frames not yet read on the partitions {@code consumer} holds, as far as it knows; -1 when it does not know all. */
    static long consumerLag(Consumer<?, ?> consumer) {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isEmpty()) {
                return -1;
            }
            total += lag.getAsLong();
        }
        return total;
    }

    static Precision precision(String text) {
        try {
            return Precision.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Precision.UNKNOWN;
        }
    }

    /** This machine's facts, as the JVM sees them. */
    static HostInfo thisHost() {
        return new HostInfo(HostName.find().orElse("unknown"), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(),
                Runtime.version().toString());
    }
}
