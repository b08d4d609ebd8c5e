package dev.edgeinfer.schemas.analytics;

/**
 * The analytics' key of a model version on a device type, {@code <device type>@<model name>:<version>}: how the
 * analytics store it and how their clients ask for it ({@code /api/stats/model/<key>}).
 */
public final class ModelKeys {

    /** Between device type and model in a key. */
    public static final String SEPARATOR = "@";

    private ModelKeys() {
    }

    /** @return the key of the model version on the device type */
    public static String of(String deviceType, String modelName, String modelVersion) {
        return deviceType + SEPARATOR + modelName + ":" + modelVersion;
    }

    /** @return the device type of a key: what comes before its last {@code @} */
    public static String deviceType(String key) {
        int at = key.lastIndexOf(SEPARATOR);
        return at < 0 ? key : key.substring(0, at);
    }
}
