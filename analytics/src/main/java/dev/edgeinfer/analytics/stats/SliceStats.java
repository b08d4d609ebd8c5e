package dev.edgeinfer.analytics.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * Statistics of one key (a device type, a device or a precision) over one time slice: counts, three latency
 * distributions, a confusion matrix and the class labels seen. Slices merge exactly, which is how a hopping window
 * is assembled from the slices it covers.
 */
public final class SliceStats {

    private long frames;
    private long framesWithGroundTruth;
    private long correct;
    private long deadLetters;
    private long errors;
    private long rejected;
    private final LatencyHistogram inference;
    private final LatencyHistogram onDevice;
    private final LatencyHistogram endToEnd;
    private final ConfusionMatrix confusion;
    private final Map<Integer, String> labels;

    /** Empty statistics. */
    public SliceStats() {
        this(new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram(), new ConfusionMatrix(), new TreeMap<>());
    }

    SliceStats(LatencyHistogram inference, LatencyHistogram onDevice, LatencyHistogram endToEnd,
               ConfusionMatrix confusion, Map<Integer, String> labels) {
        this.inference = inference;
        this.onDevice = onDevice;
        this.endToEnd = endToEnd;
        this.confusion = confusion;
        this.labels = new TreeMap<>(labels);
    }

    void setCounts(long frames, long framesWithGroundTruth, long correct, long deadLetters, long errors, long rejected) {
        this.frames = frames;
        this.framesWithGroundTruth = framesWithGroundTruth;
        this.correct = correct;
        this.deadLetters = deadLetters;
        this.errors = errors;
        this.rejected = rejected;
    }

    /** Counts one observation; returns this for use as a Kafka Streams aggregator. */
    public SliceStats add(Observation observation) {
        switch (observation.kind()) {
            case PREDICTION -> addPrediction(observation);
            case REJECTED_PREDICTION -> rejected++;
            case DEAD_LETTER -> deadLetters++;
            case DEVICE_ERROR -> {
                deadLetters++;
                errors++;
            }
        }
        return this;
    }

    private void addPrediction(Observation observation) {
        frames++;
        if (!observation.predictedLabel().isEmpty()) {
            labels.putIfAbsent(observation.predictedClass(), observation.predictedLabel());
        }
        if (observation.hasGroundTruth()) {
            framesWithGroundTruth++;
            if (observation.groundTruth() == observation.predictedClass()) {
                correct++;
            }
            confusion.add(observation.groundTruth(), observation.predictedClass());
        }
        recordIfKnown(inference, observation.inferenceMicros());
        recordIfKnown(onDevice, observation.onDeviceMicros());
        recordIfKnown(endToEnd, observation.endToEndMicros());
    }

    private static void recordIfKnown(LatencyHistogram histogram, long micros) {
        if (micros >= 0) {
            histogram.record(micros);
        }
    }

    /** Adds everything counted in {@code other}; returns this. */
    public SliceStats merge(SliceStats other) {
        frames += other.frames;
        framesWithGroundTruth += other.framesWithGroundTruth;
        correct += other.correct;
        deadLetters += other.deadLetters;
        errors += other.errors;
        rejected += other.rejected;
        inference.merge(other.inference);
        onDevice.merge(other.onDevice);
        endToEnd.merge(other.endToEnd);
        confusion.merge(other.confusion);
        other.labels.forEach(labels::putIfAbsent);
        return this;
    }

    /** Valid predictions. */
    public long frames() {
        return frames;
    }

    /** Valid predictions whose frame had a ground truth. */
    public long framesWithGroundTruth() {
        return framesWithGroundTruth;
    }

    /** Predictions equal to the ground truth. */
    public long correct() {
        return correct;
    }

    /** Dead letters attributed to the key, whatever the stage. */
    public long deadLetters() {
        return deadLetters;
    }

    /** Dead letters from device-side stages (decode, preprocess, inference, publish). */
    public long errors() {
        return errors;
    }

    /** Predictions the analytics could not use. */
    public long rejected() {
        return rejected;
    }

    /** Inference time on the device. */
    public LatencyHistogram inference() {
        return inference;
    }

    /** Total time on the device, from receipt of the frame to the hand-off of the prediction. */
    public LatencyHistogram onDevice() {
        return onDevice;
    }

    /** Prediction broker timestamp minus frame broker timestamp. */
    public LatencyHistogram endToEnd() {
        return endToEnd;
    }

    /** Ground truth against prediction. */
    public ConfusionMatrix confusion() {
        return confusion;
    }

    /** Class labels seen, by class index. */
    public Map<Integer, String> labels() {
        return Map.copyOf(labels);
    }
}
