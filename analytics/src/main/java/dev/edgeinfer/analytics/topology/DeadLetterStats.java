package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.stats.Observation;
import dev.edgeinfer.analytics.stats.ObservationKind;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Counts a dead letter against its device type and its device, when the letter names them; letters from stages
 * where a device worked on the frame also count as errors. Letters naming no device (a producer's failure) have no
 * key to count under and are left to the topic's own monitoring.
 */
final class DeadLetterStats<K> implements Processor<K, DeadLetter, Void, Void> {

    /** Stages at which a device had the frame: its failures are the device's errors. */
    static final Set<FailureStage> DEVICE_STAGES = EnumSet.of(
            FailureStage.DECODE, FailureStage.PREPROCESS, FailureStage.INFERENCE, FailureStage.PUBLISH);

    private final List<ViewSlices.Spec> views;
    private final String keysStore;
    private StatsCounter counter;
    private InvalidRecords invalid;

    DeadLetterStats(List<ViewSlices.Spec> views, String keysStore) {
        this.views = views;
        this.keysStore = keysStore;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.counter = new StatsCounter(context, views, keysStore, "dead-letter-stats");
        this.invalid = new InvalidRecords(context, "dead-letter-stats");
    }

    @Override
    public void process(Record<K, DeadLetter> record) {
        DeadLetter letter = record.value();
        if (letter == null || (letter.getDeviceType() == null && letter.getDeviceId() == null)) {
            return;
        }
        // Either may be absent (a dead letter of no device), but not absurd.
        if (!invalid.accept("device type", letter.getDeviceType() == null ? "" : letter.getDeviceType(),
                "device id", letter.getDeviceId() == null ? "" : letter.getDeviceId())) {
            return;
        }
        Observation observation = Observation.of(DEVICE_STAGES.contains(letter.getStage())
                ? ObservationKind.DEVICE_ERROR : ObservationKind.DEAD_LETTER);
        List<String> keys = new ArrayList<>(2);
        if (letter.getDeviceType() != null) {
            keys.add(StatsKey.deviceType(letter.getDeviceType()).storeKey());
        }
        if (letter.getDeviceId() != null) {
            keys.add(StatsKey.device(letter.getDeviceId()).storeKey());
        }
        counter.count(record.timestamp(), observation, keys.toArray(String[]::new));
    }
}
