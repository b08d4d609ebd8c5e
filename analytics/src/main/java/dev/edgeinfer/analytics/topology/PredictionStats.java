package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.stats.Observation;
import dev.edgeinfer.analytics.stats.ObservationKind;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.topics.FieldLimits;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Counts each prediction in the slices of its device type, its device, its model precision, its model version on its
 * device type and, when the prediction names it, the camera (producer) of its frame, in every view.
 *
 * <p>End-to-end latency is the prediction's own timestamp (the broker's append time) minus the frame's broker
 * timestamp: both from the broker's clock, whatever the devices' clocks say. A prediction whose class indexes are
 * negative or not below {@code maxClasses} is counted as rejected; a negative timing is left out of its distribution.
 *
 * <p>Each task counts the predictions of its own partitions: its slices are that partition's part of every key, and
 * queries merge the parts. No record is re-keyed, so no repartition topic is written.
 */
final class PredictionStats<K> implements Processor<K, Prediction, Void, Void> {

    private static final Duration KEY_PURGE_INTERVAL = Duration.ofMinutes(1);

    private final int maxClasses;
    private final List<ViewSlices.Spec> views;
    private final String keysStore;
    private StatsCounter counter;
    private InvalidRecords invalid;

    /**
     * @param maxClasses class indexes at or above this are rejected
     * @param views      where the slices of each view are kept
     * @param keysStore  the index of keys ({@link StatsKeys})
     */
    PredictionStats(int maxClasses, List<ViewSlices.Spec> views, String keysStore) {
        this.maxClasses = maxClasses;
        this.views = views;
        this.keysStore = keysStore;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.counter = new StatsCounter(context, views, keysStore, "prediction-stats");
        this.invalid = new InvalidRecords(context, "prediction-stats");
        context.schedule(KEY_PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> counter.purgeKeys());
    }

    @Override
    public void process(Record<K, Prediction> record) {
        Prediction prediction = record.value();
        if (prediction == null || !invalid.accept("device type", prediction.getDeviceType(), "device id",
                prediction.getDeviceId(), "predicted label", prediction.getPredictedLabel())) {
            return;
        }
        String deviceType = StatsKey.deviceType(prediction.getDeviceType()).storeKey();
        String device = StatsKey.device(prediction.getDeviceId()).storeKey();
        String precision = StatsKey.precision(prediction.getModel().getPrecision().name()).storeKey();
        String model = StatsKey.model(prediction.getDeviceType(), prediction.getModel().getName(),
                prediction.getModel().getVersion()).storeKey();
        String camera = prediction.getProducerId();
        Observation observation = observe(prediction, record.timestamp());
        if (camera == null || !FieldLimits.fits(camera, FieldLimits.MAX_ID_CHARS)) {
            counter.count(record.timestamp(), observation, deviceType, device, precision, model);
        } else {
            counter.count(record.timestamp(), observation, deviceType, device, precision, model,
                    StatsKey.camera(camera).storeKey());
        }
    }

    private Observation observe(Prediction prediction, long predictionTimestamp) {
        int predicted = prediction.getPredictedClass();
        Integer truth = prediction.getGroundTruth();
        if (!isClassIndex(predicted) || (truth != null && !isClassIndex(truth))) {
            return Observation.of(ObservationKind.REJECTED_PREDICTION);
        }
        long endToEndMillis = predictionTimestamp - prediction.getFrameTimestamp().toEpochMilli();
        return new Observation(ObservationKind.PREDICTION, predicted, prediction.getPredictedLabel(),
                truth == null ? Observation.NONE : truth,
                orNone(prediction.getTimings().getInferenceMicros()),
                orNone(prediction.getTimings().getTotalOnDeviceMicros()),
                endToEndMillis < 0 ? Observation.NONE : endToEndMillis * 1000);
    }

    private boolean isClassIndex(int index) {
        return index >= 0 && index < maxClasses;
    }

    private static long orNone(long micros) {
        return micros < 0 ? Observation.NONE : micros;
    }
}
