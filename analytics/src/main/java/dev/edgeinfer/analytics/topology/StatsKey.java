package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.schemas.analytics.ModelKeys;
import java.util.Objects;

/**
 * The key statistics are aggregated and queried under: a dimension and a value, stored as
 * {@code <dimension>/<value>}, e.g. {@code device-type/openvino-cpu-int8}. Dimension names contain no slash, so the
 * first slash separates the two whatever the value holds.
 *
 * @param dimension what the value is
 * @param value     the device type, device id, precision or model version on a device type
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

    public static StatsKey camera(String producerId) {
        return new StatsKey(Dimension.CAMERA, producerId);
    }

    /** A model version on a device type: {@code <device type>@<model name>:<version>}. */
    public static StatsKey model(String deviceType, String modelName, String modelVersion) {
        return new StatsKey(Dimension.MODEL, ModelKeys.of(deviceType, modelName, modelVersion));
    }

    /** @return the device type of a {@link Dimension#MODEL} key's value: what comes before its last {@code @} */
    public static String deviceTypeOfModel(String modelValue) {
        return ModelKeys.deviceType(modelValue);
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
