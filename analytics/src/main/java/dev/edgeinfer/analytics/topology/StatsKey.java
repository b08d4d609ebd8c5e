package dev.edgeinfer.analytics.topology;

import java.util.Objects;

/**
 * The key statistics are aggregated and queried under: a dimension and a value, stored as
 * {@code <dimension>/<value>}, e.g. {@code device-type/openvino-cpu-int8}. Dimension names contain no slash, so the
 * first slash separates the two whatever the value holds.
 *
 * @param dimension what the value is
 * @param value     the device type, device id or precision
 */
public record StatsKey(Dimension dimension, String value) {

    public StatsKey {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(value, "value");
    }

    public static StatsKey deviceType(String deviceType) {
        return new StatsKey(Dimension.DEVICE_TYPE, deviceType);
    }

    public static StatsKey device(String deviceId) {
        return new StatsKey(Dimension.DEVICE, deviceId);
    }

    public static StatsKey precision(String precision) {
        return new StatsKey(Dimension.PRECISION, precision);
    }

    /** The key as stored. */
    public String storeKey() {
        return dimension.pathName() + "/" + value;
    }

    /**
     * Reads a stored key.
     *
     * @throws IllegalArgumentException if the key has no known dimension
     */
    public static StatsKey parse(String storeKey) {
        int slash = storeKey.indexOf('/');
        Dimension dimension = slash < 0 ? null : Dimension.fromPathName(storeKey.substring(0, slash)).orElse(null);
        if (dimension == null) {
            throw new IllegalArgumentException("Not a statistics key: " + storeKey);
        }
        return new StatsKey(dimension, storeKey.substring(slash + 1));
    }
}
