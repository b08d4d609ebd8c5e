package dev.edgeinfer.schemas.analytics;

/** How a window's end-to-end latency stands against its device type's bound. */
public enum LatencyBoundVerdict {
    /** The samples support the percentile, and its value is at most the bound. */
    VALID,
    /** The samples support the percentile, and its value is above the bound. */
    INVALID,
    /** Too few samples for the percentile (fewer than 10 at or beyond it): nothing can be said yet. */
    INSUFFICIENT_SAMPLES
}
