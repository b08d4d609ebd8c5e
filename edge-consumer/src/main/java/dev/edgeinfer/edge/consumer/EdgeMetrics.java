package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.FailureStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The device's own meters: latency histograms of inference and of the whole time on the device, and frame counts by
 * outcome. Tagged with the device type so a fleet's scrapes aggregate by type.
 */
public final class EdgeMetrics {

    private final Timer inference;
    private final Timer onDevice;
    private final Counter predicted;
    private final Map<FailureStage, Counter> failed = new EnumMap<>(FailureStage.class);
    private final Counter otherLabelSet;

    public EdgeMetrics(MeterRegistry registry, String deviceType) {
        this.inference = Timer.builder("edge.inference")
                .description("Inference time of one batch on the accelerator")
                .tag("device.type", deviceType)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100).dividedBy(1000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        this.onDevice = Timer.builder("edge.frame.on.device")
                .description("Time of one frame on the device, from receipt to hand-off of its prediction")
                .tag("device.type", deviceType)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100).dividedBy(1000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.predicted = Counter.builder("edge.frames.predicted").tag("device.type", deviceType).register(registry);
        this.otherLabelSet = Counter.builder("edge.frames.other.label.set")
                .description("Frames predicted whose ground truth is of another label set than the model's, so not scored")
                .tag("device.type", deviceType).register(registry);
        for (FailureStage stage : FailureStage.values()) {
            failed.put(stage, Counter.builder("edge.frames.failed").tag("device.type", deviceType)
                    .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
    }

    void batchInferred(long inferenceMicros) {
        inference.record(Duration.ofNanos(inferenceMicros * 1_000));
    }

    void framePredicted(long onDeviceMicros) {
        onDevice.record(Duration.ofNanos(onDeviceMicros * 1_000));
        predicted.increment();
    }

    void frameOfOtherLabelSet() {
        otherLabelSet.increment();
    }

    void frameFailed(FailureStage stage) {
        failed.get(stage).increment();
    }
}
