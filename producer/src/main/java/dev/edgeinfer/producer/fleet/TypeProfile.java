package dev.edgeinfer.producer.fleet;

import java.util.Objects;

/**
 * How the devices of one type behave in the simulation.
 *
 * @param type         the device type
 * @param accuracy     share of frames its top-1 class is the ground truth, in [0, 1]
 * @param disagreement share of frames its top-1 class differs from the reference type's, in [0, 1]; 0 for the
 *                     reference type itself
 * @param inference    latency of one frame's inference on its devices
 */
public record TypeProfile(DeviceType type, double accuracy, double disagreement, LatencyDistribution inference) {

    public TypeProfile {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(inference, "inference");
        requireShare(type.name(), "accuracy", accuracy);
        requireShare(type.name(), "disagreement", disagreement);
    }

    /** A profile with the type's typical latency. */
    public static TypeProfile of(DeviceType type, double accuracy, double disagreement) {
        return new TypeProfile(type, accuracy, disagreement, type.typicalInference());
    }

    /** The type's name, what analytics group by. */
    public String name() {
        return type.name();
    }

    static void requireShare(String type, String what, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("device type " + type + ": " + what + " must be a share in [0, 1]: " + value);
        }
    }
}
