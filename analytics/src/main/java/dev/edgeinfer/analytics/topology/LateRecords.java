package dev.edgeinfer.analytics.topology;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Counts records that arrived after their slice closed (later than the grace) in the task-level metric
 * {@code late-record-drop-total} (group {@code stream-edgeinfer-analytics-metrics}), published with Kafka Streams'
 * other metrics.
 */
final class LateRecords {

    private final Sensor sensor;

    LateRecords(ProcessorContext<?, ?> context, String processorName) {
        this.sensor = context.metrics().addRateTotalSensor("edgeinfer-analytics", context.taskId() + "-" + processorName,
                "late-record-drop", Sensor.RecordingLevel.INFO);
    }

    void dropped() {
        sensor.record();
    }
}
