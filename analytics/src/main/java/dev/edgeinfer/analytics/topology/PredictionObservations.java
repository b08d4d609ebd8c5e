package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.stats.Observation;
import dev.edgeinfer.analytics.stats.ObservationKind;
import dev.edgeinfer.avro.Prediction;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns each prediction into three observations, keyed by its device type, its device and its model precision.
 *
 * <p>End-to-end latency is the prediction's own timestamp (the broker's append time) minus the frame's broker
 * timestamp: both from the broker's clock, whatever the devices' clocks say. A prediction whose class indexes are
 * negative or not below {@code maxClasses} is counted as rejected; a negative timing is left out of its distribution.
 */
final class PredictionObservations<K> implements Processor<K, Prediction, String, Observation> {

    private final int maxClasses;
    private ProcessorContext<String, Observation> context;

    PredictionObservations(int maxClasses) {
        this.maxClasses = maxClasses;
    }

    @Override
    public void init(ProcessorContext<String, Observation> context) {
        this.context = context;
    }

    @Override
    public void process(Record<K, Prediction> record) {
        Prediction prediction = record.value();
        if (prediction == null) {
            return;
        }
        Observation observation = observe(prediction, record.timestamp());
        forward(record, StatsKey.deviceType(prediction.getDeviceType()), observation);
        forward(record, StatsKey.device(prediction.getDeviceId()), observation);
        forward(record, StatsKey.precision(prediction.getModel().getPrecision().name()), observation);
    }

    private void forward(Record<K, Prediction> record, StatsKey key, Observation observation) {
        context.forward(new Record<>(key.storeKey(), observation, record.timestamp()));
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
