package dev.edgeinfer.analytics.stats;

import java.util.Objects;

/**
 * One fact extracted from a prediction or a dead letter, as it travels to the statistics of one key: the few fields
 * the aggregation needs instead of the whole Avro record, so the repartition topic stays small and schema-free.
 *
 * @param kind                what the observation counts towards
 * @param predictedClass      top-1 class index, or -1 when not a prediction
 * @param predictedLabel      top-1 class name, or the empty string
 * @param groundTruth         ground truth class index, or -1 when unknown
 * @param inferenceMicros     inference time on the device, or -1
 * @param onDeviceMicros      total time on the device, or -1
 * @param endToEndMicros      prediction broker timestamp minus frame broker timestamp, in microseconds, or -1
 */
public record Observation(ObservationKind kind, int predictedClass, String predictedLabel, int groundTruth,
                          long inferenceMicros, long onDeviceMicros, long endToEndMicros) {

    public static final int NONE = -1;

    public Observation {
        Objects.requireNonNull(kind, "kind");
        predictedLabel = predictedLabel == null ? "" : predictedLabel;
    }

    /** An observation that carries only its kind (dead letters, rejected predictions). */
    public static Observation of(ObservationKind kind) {
        return new Observation(kind, NONE, "", NONE, NONE, NONE, NONE);
    }

    /** Whether the frame had a ground truth. */
    public boolean hasGroundTruth() {
        return groundTruth >= 0;
    }
}
