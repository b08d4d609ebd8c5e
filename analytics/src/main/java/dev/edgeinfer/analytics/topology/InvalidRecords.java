package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.schemas.topics.FieldLimits;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips records whose ids could not be written as keys of the state stores (missing, or longer than
 * {@link FieldLimits#MAX_ID_CHARS}: their changelog records could be larger than the changelog topics accept, and a
 * refused changelog write stops the stream thread). They are counted in the task-level metric
 * {@code invalid-record-drop-total} (group {@code stream-edgeinfer-analytics-metrics}) and logged with their
 * coordinates, the first ones and then every thousandth.
 */
final class InvalidRecords {

    private static final Logger log = LoggerFactory.getLogger(InvalidRecords.class);
    private static final long LOG_EVERY = 1_000;

    private final ProcessorContext<?, ?> context;
    private final Sensor sensor;
    private final String processorName;
    private long skipped;

    InvalidRecords(ProcessorContext<?, ?> context, String processorName) {
        this.context = context;
        this.processorName = processorName;
        this.sensor = context.metrics().addRateTotalSensor("edgeinfer-analytics", context.taskId() + "-" + processorName,
                "invalid-record-drop", Sensor.RecordingLevel.INFO);
    }

    /**
     * True if every id is present and within the limit; otherwise the record is counted as skipped and logged.
     *
     * @param fieldsAndValues names and values of the ids, alternately
     */
    boolean accept(String... fieldsAndValues) {
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            String value = fieldsAndValues[i + 1];
            if (!FieldLimits.fits(value, FieldLimits.MAX_ID_CHARS)) {
                skip(fieldsAndValues[i] + (value == null ? " is missing"
                        : " of " + value.length() + " characters exceeds the limit of " + FieldLimits.MAX_ID_CHARS));
                return false;
            }
        }
        return true;
    }

    private void skip(String why) {
        sensor.record();
        if (skipped++ % LOG_EVERY == 0) {
            String where = context.recordMetadata().map(InvalidRecords::where).orElse("an unknown position");
            log.warn("{} skipped the record at {}: {} ({} skipped by this task so far)", processorName, where, why, skipped);
        }
    }

    private static String where(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }
}
