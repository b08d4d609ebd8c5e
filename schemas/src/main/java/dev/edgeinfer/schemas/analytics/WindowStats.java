package dev.edgeinfer.schemas.analytics;

/**
 * Statistics of one key over one window.
 *
 * @param dimension             {@code device-type}, {@code device}, {@code precision} or {@code model}
 * @param key                   the device type, device id, precision or model version on a device type
 * @param view                  the view's name, e.g. {@code 1m}
 * @param windowStart           window start, epoch milliseconds, inclusive
 * @param windowEnd             window end, epoch milliseconds, exclusive
 * @param frames                valid predictions
 * @param framesWithGroundTruth valid predictions whose frame had a ground truth
 * @param correct               predictions equal to their ground truth
 * @param accuracy              correct / framesWithGroundTruth; null when no frame had a ground truth
 * @param throughputPerSecond   frames per second of window length
 * @param deadLetters           dead letters attributed to the key
 * @param errors                dead letters from device-side stages
 * @param rejected              predictions with class indexes out of range
 * @param inference             inference time on the device
 * @param onDevice              total time on the device
 * @param endToEnd              prediction broker timestamp minus frame broker timestamp
 * @param latencyBound          the end-to-end latency against the bound of the device type (for a device: the type its
 *                              latest heartbeat names); null for a precision, and for a device without a heartbeat
 */
public record WindowStats(String dimension, String key, String view, long windowStart, long windowEnd,
                          long frames, long framesWithGroundTruth, long correct, Double accuracy,
                          double throughputPerSecond, long deadLetters, long errors, long rejected,
                          LatencySummary inference, LatencySummary onDevice, LatencySummary endToEnd,
                          LatencyBoundCheck latencyBound) {
}
