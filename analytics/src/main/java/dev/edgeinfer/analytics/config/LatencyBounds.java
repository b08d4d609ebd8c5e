package dev.edgeinfer.analytics.config;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The end-to-end latency bound every device type is judged against: one default, and overrides for single types.
 * Read from {@value #DEFAULT_KEY} ({@code p99:100ms} unless set) and {@code analytics.latency.bound.<deviceType>}.
 *
 * @param defaultBound the bound of every device type without an override
 * @param byDeviceType overrides by device type
 */
public record LatencyBounds(LatencyBound defaultBound, Map<String, LatencyBound> byDeviceType) {

    /** Key of the default bound. */
    public static final String DEFAULT_KEY = "analytics.latency.bound";
    /** Prefix of the keys of single device types' bounds: {@code analytics.latency.bound.<deviceType>}. */
    public static final String TYPE_PREFIX = DEFAULT_KEY + ".";
    /** The default bound when none is set: p99 end-to-end at most 100 ms. */
    public static final String DEFAULT_BOUND = "p99:100ms";

    public LatencyBounds {
        byDeviceType = Map.copyOf(byDeviceType);
    }

    /** The bound of {@code deviceType}: its override, or the default. */
    public LatencyBound forDeviceType(String deviceType) {
        return byDeviceType.getOrDefault(deviceType, defaultBound);
    }

    /**
     * Reads the default and every per-type key.
     *
     * @throws IllegalArgumentException naming the key and its value when a value is no latency bound, or a per-type key
     *                                  names no device type
     */
    public static LatencyBounds fromProperties(Properties properties) {
        LatencyBound defaultBound = parse(DEFAULT_KEY, properties.getProperty(DEFAULT_KEY, DEFAULT_BOUND));
        Map<String, LatencyBound> byType = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(TYPE_PREFIX)) {
                String deviceType = key.substring(TYPE_PREFIX.length()).trim();
                if (deviceType.isEmpty()) {
                    throw new IllegalArgumentException(key + ": names no device type (value '" + properties.getProperty(key)
                            + "'); write " + TYPE_PREFIX + "<deviceType>=" + LatencyBound.GRAMMAR);
                }
                byType.put(deviceType, parse(key, properties.getProperty(key)));
            }
        }
        return new LatencyBounds(defaultBound, byType);
    }

    /**
     * The property one command-line value stands for: {@code p99:100ms} sets the default ({@value #DEFAULT_KEY}),
     * {@code openvino-cpu-int8=p99:40ms} the bound of one device type.
     *
     * @throws IllegalArgumentException naming the value when it is malformed
     */
    public static Map.Entry<String, String> property(String value) {
        int equals = value.indexOf('=');
        String key = DEFAULT_KEY;
        String bound = value;
        if (equals >= 0) {
            String deviceType = value.substring(0, equals).trim();
            if (deviceType.isEmpty()) {
                throw new IllegalArgumentException("No device type before '=' in '" + value + "'; write <deviceType>="
                        + LatencyBound.GRAMMAR + " or just the bound for every type");
            }
            key = TYPE_PREFIX + deviceType;
            bound = value.substring(equals + 1);
        }
        LatencyBound.parse(bound);
        return Map.entry(key, bound.trim());
    }

    private static LatencyBound parse(String key, String value) {
        try {
            return LatencyBound.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
