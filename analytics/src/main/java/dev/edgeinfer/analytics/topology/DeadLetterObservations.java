package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.stats.Observation;
import dev.edgeinfer.analytics.stats.ObservationKind;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Counts a dead letter against its device type and its device, when the letter names them; letters from stages
 * where a device worked on the frame also count as errors. Letters naming no device (a producer's failure) have no
 * key to count under and are left to the topic's own monitoring.
 */
final class DeadLetterObservations<K> implements Processor<K, DeadLetter, String, Observation> {

    /** Stages at which a device had the frame: its failures are the device's errors. */
    static final Set<FailureStage> DEVICE_STAGES = EnumSet.of(
            FailureStage.DECODE, FailureStage.PREPROCESS, FailureStage.INFERENCE, FailureStage.PUBLISH);

    private ProcessorContext<String, Observation> context;

    @Override
    public void init(ProcessorContext<String, Observation> context) {
        this.context = context;
    }

    @Override
    public void process(Record<K, DeadLetter> record) {
        DeadLetter letter = record.value();
        if (letter == null) {
            return;
        }
        Observation observation = Observation.of(DEVICE_STAGES.contains(letter.getStage())
                ? ObservationKind.DEVICE_ERROR : ObservationKind.DEAD_LETTER);
        if (letter.getDeviceType() != null) {
            context.forward(new Record<>(StatsKey.deviceType(letter.getDeviceType()).storeKey(), observation, record.timestamp()));
        }
        if (letter.getDeviceId() != null) {
            context.forward(new Record<>(StatsKey.device(letter.getDeviceId()).storeKey(), observation, record.timestamp()));
        }
    }
}
