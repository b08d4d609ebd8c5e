package dev.edgeinfer.analytics.stats;

/** What one observation counts towards in a statistics slice. */
public enum ObservationKind {
    /** A valid prediction: counted in frames, accuracy, latency and the confusion matrix. */
    PREDICTION,
    /** A prediction the analytics cannot use (class index out of range, negative timing): counted as rejected. */
    REJECTED_PREDICTION,
    /** A dead letter whose failure happened before the device worked on the frame (deserialize, validate). */
    DEAD_LETTER,
    /** A dead letter from a device-side stage (decode, preprocess, inference, publish): a dead letter and an error. */
    DEVICE_ERROR
}
