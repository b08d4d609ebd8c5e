package dev.edgeinfer.analytics.topology;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The three keys every prediction is counted under. */
public enum Dimension {
    /** The device type chosen by the edge consumer's config, e.g. {@code openvino-cpu-int8}. */
    DEVICE_TYPE("device-type"),
    /** One edge device, by its id. */
    DEVICE("device"),
    /** The model precision, e.g. {@code INT8}. */
    PRECISION("precision"),
    /**
     * A model version on a device type, {@code <device type>@<model name>:<version>}: two versions of a model running
     * side by side on one device type (a canary cohort) are counted apart.
     */
    MODEL("model"),
    /** The producer (camera) that published the frames, by its producer id. */
    CAMERA("camera");

    private final String pathName;

    Dimension(String pathName) {
        this.pathName = pathName;
    }

    /** The name used in store keys and URLs. */
    public String pathName() {
        return pathName;
    }

    /** The dimension named {@code name} in URLs ({@code device-type}, {@code device}, {@code precision}, {@code model}, {@code camera}). */
    public static Optional<Dimension> fromPathName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(d -> d.pathName.equals(wanted)).findFirst();
    }
}
