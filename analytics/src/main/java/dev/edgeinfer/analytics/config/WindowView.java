package dev.edgeinfer.analytics.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A hopping-window view of the statistics: windows of {@code size} starting every {@code advance}.
 *
 * <p>The store keeps tumbling slices of {@code advance}; a window is the exact merge of the {@code size / advance}
 * slices it covers. That holds the same numbers as a hopping-window aggregation, because counts and HdrHistograms
 * add without loss, while each record updates one slice instead of {@code size / advance} windows.
 *
 * @param name      what the API calls the view, e.g. {@code 1m}
 * @param size      window length
 * @param advance   distance between window starts, and length of a slice
 * @param retention how long slices are kept, which bounds how far back windows and time series reach
 */
public record WindowView(String name, Duration size, Duration advance, Duration retention) {

    public WindowView {
        Objects.requireNonNull(name, "name");
        if (advance.isZero() || advance.isNegative()) {
            throw new IllegalArgumentException("Window advance of view " + name + " must be positive: " + advance);
        }
        if (size.compareTo(advance) < 0 || size.toMillis() % advance.toMillis() != 0) {
            throw new IllegalArgumentException("Window size of view " + name + " (" + size
                    + ") must be a positive multiple of its advance (" + advance + ")");
        }
        if (retention.compareTo(size) < 0) {
            throw new IllegalArgumentException("Retention of view " + name + " (" + retention
                    + ") must be at least the window size (" + size + ")");
        }
    }

    /** Number of slices in one window. */
    public int slicesPerWindow() {
        return (int) (size.toMillis() / advance.toMillis());
    }

    /** Whether {@code epochMillis} is the start of a window of this view. */
    public boolean isWindowStart(long epochMillis) {
        return Math.floorMod(epochMillis, advance.toMillis()) == 0;
    }
}
