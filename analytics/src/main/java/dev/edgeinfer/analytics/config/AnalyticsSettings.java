package dev.edgeinfer.analytics.config;

import dev.edgeinfer.schemas.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * What the analytics compute and how their HTTP API treats slow peers, read from the {@code analytics.*} properties.
 * Each key has a default; see {@link #fromProperties(Properties)}.
 *
 * @param shortView           the rolling view (default 1-minute windows advancing every 10 seconds)
 * @param longView            the long view (default 15-minute windows advancing every minute)
 * @param grace               how late a record may arrive after its window ended and still be counted
 * @param referenceDeviceType device type every other type is compared with for agreement
 * @param agreementJoinWindow how long after a frame's first prediction the others are joined with it
 * @param agreementPurgeInterval how often, in wall-clock time, frames older than the join window are dropped
 * @param maxClasses          class indexes at or above this are rejected, so a corrupt prediction cannot blow up the
 *                            confusion matrix
 * @param httpIdleTimeout     how long an HTTP connection may send and take nothing before the server closes it: a
 *                            stalled request head or body, a client that stops reading its answer, an idle keep-alive
 * @param httpForwardTimeout  how long asking another instance may take, to connect and to get the whole answer
 * @param latencyBounds       the end-to-end latency bound each device type's windows are judged against
 */
public record AnalyticsSettings(WindowView shortView, WindowView longView, Duration grace, String referenceDeviceType,
                                Duration agreementJoinWindow, Duration agreementPurgeInterval, int maxClasses,
                                Duration httpIdleTimeout, Duration httpForwardTimeout, LatencyBounds latencyBounds) {

    public static final String PREFIX = "analytics.";
    public static final String SHORT_SIZE = "analytics.window.short.size";
    public static final String SHORT_ADVANCE = "analytics.window.short.advance";
    public static final String SHORT_RETENTION = "analytics.window.short.retention";
    public static final String LONG_SIZE = "analytics.window.long.size";
    public static final String LONG_ADVANCE = "analytics.window.long.advance";
    public static final String LONG_RETENTION = "analytics.window.long.retention";
    public static final String GRACE = "analytics.window.grace";
    public static final String REFERENCE_DEVICE_TYPE = "analytics.reference.device.type";
    public static final String AGREEMENT_JOIN_WINDOW = "analytics.agreement.join.window";
    public static final String AGREEMENT_PURGE_INTERVAL = "analytics.agreement.purge.interval";
    public static final String MAX_CLASSES = "analytics.max.classes";
    public static final String HTTP_IDLE_TIMEOUT = "analytics.http.idle.timeout";
    public static final String HTTP_FORWARD_TIMEOUT = "analytics.http.forward.timeout";
    public static final String LATENCY_BOUND = LatencyBounds.DEFAULT_KEY;

    public static final String DEFAULT_REFERENCE_DEVICE_TYPE = "openvino-cpu-fp32";

    public AnalyticsSettings {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("Grace must not be negative: " + grace);
        }
        if (referenceDeviceType == null || referenceDeviceType.isBlank()) {
            throw new IllegalArgumentException("The reference device type must not be blank");
        }
        if (agreementJoinWindow.isZero() || agreementJoinWindow.isNegative()
                || agreementPurgeInterval.isZero() || agreementPurgeInterval.isNegative()) {
            throw new IllegalArgumentException("Agreement join window and purge interval must be positive");
        }
        if (maxClasses < 1) {
            throw new IllegalArgumentException("analytics.max.classes must be at least 1: " + maxClasses);
        }
        if (httpForwardTimeout.isZero() || httpForwardTimeout.isNegative()) {
            throw new IllegalArgumentException(HTTP_FORWARD_TIMEOUT + " must be positive: " + httpForwardTimeout);
        }
        // A request that waits for another instance sends nothing meanwhile; the idle timeout would cut it off.
        if (httpIdleTimeout.compareTo(httpForwardTimeout) <= 0) {
            throw new IllegalArgumentException(HTTP_IDLE_TIMEOUT + " (" + Durations.format(httpIdleTimeout)
                    + ") must be longer than " + HTTP_FORWARD_TIMEOUT + " (" + Durations.format(httpForwardTimeout) + ")");
        }
        for (WindowView view : List.of(shortView, longView)) {
            if (view.retention().compareTo(view.size().plus(grace)) < 0) {
                throw new IllegalArgumentException("Retention of view " + view.name() + " (" + view.retention()
                        + ") must cover its window size plus the grace (" + view.size().plus(grace) + ")");
            }
        }
        if (shortView.name().equals(longView.name())) {
            throw new IllegalArgumentException("The short and long views have the same name " + shortView.name());
        }
    }

    /**
     * The defaults: 1m/10s and 15m/1m windows, 5 min grace, reference {@value #DEFAULT_REFERENCE_DEVICE_TYPE}, HTTP
     * connections closed after 30 s idle, other instances given 10 s to answer, every device type bound to p99
     * end-to-end at most 100 ms.
     */
    public static AnalyticsSettings defaults() {
        return fromProperties(new Properties());
    }

    /**
     * Reads the settings; missing keys take their defaults. Durations are written as {@code 10s}, {@code 1m},
     * {@code PT10S}, ...; a view is named after its window size ({@code 1m}, {@code 15m}). Latency bounds are read by
     * {@link LatencyBounds#fromProperties(Properties)}.
     *
     * @throws IllegalArgumentException naming the key when a value is malformed or the views are inconsistent
     */
    public static AnalyticsSettings fromProperties(Properties properties) {
        Duration shortSize = duration(properties, SHORT_SIZE, "1m");
        Duration longSize = duration(properties, LONG_SIZE, "15m");
        return new AnalyticsSettings(
                new WindowView(Durations.format(shortSize), shortSize, duration(properties, SHORT_ADVANCE, "10s"),
                        duration(properties, SHORT_RETENTION, "2h")),
                new WindowView(Durations.format(longSize), longSize, duration(properties, LONG_ADVANCE, "1m"),
                        duration(properties, LONG_RETENTION, "1d")),
                // Covers an instance's failover: while a dead instance's tasks wait for its session to time out and move,
                // the other tasks move stream time on, and the waiting records reach their windows that much later.
                duration(properties, GRACE, "5m"),
                properties.getProperty(REFERENCE_DEVICE_TYPE, DEFAULT_REFERENCE_DEVICE_TYPE).trim(),
                duration(properties, AGREEMENT_JOIN_WINDOW, "5m"),
                duration(properties, AGREEMENT_PURGE_INTERVAL, "30s"),
                integer(properties, MAX_CLASSES, 1000),
                duration(properties, HTTP_IDLE_TIMEOUT, "30s"),
                duration(properties, HTTP_FORWARD_TIMEOUT, "10s"),
                LatencyBounds.fromProperties(properties));
    }

    /** Both views, short first. */
    public List<WindowView> views() {
        return List.of(shortView, longView);
    }

    private static Duration duration(Properties properties, String key, String defaultValue) {
        String value = properties.getProperty(key, defaultValue);
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static int integer(Properties properties, String key, int defaultValue) {
        String value = properties.getProperty(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not an integer: '" + value + "'", e);
        }
    }
}
