package dev.edgeinfer.producer.fleet;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a simulated fleet is and does.
 *
 * @param devices           devices in all, spread over the types as evenly as possible (the first types get one more
 *                          when it does not divide); at least one per type
 * @param types             the device types and how they behave; the first is the reference the others'
 *                          disagreement is measured against
 * @param predictionRate    prediction results (predictions and dead letters) per second over the whole fleet: every
 *                          type handles every frame, so frames arrive at this rate divided by the number of types
 * @param duration          stop planning frames this long after the start, then finish those planned; null for no
 *                          limit
 * @param predictions       stop once this many predictions are written; 0 for no limit
 * @param deadLetterShare   share of prediction results that are dead letters instead, in [0, 1]: half from frames
 *                          every type fails to decode, half from inference failures of single devices
 * @param groundTruthShare  share of frames that carry their ground truth, in [0, 1]
 * @param heartbeatInterval time between two heartbeats of one device; the devices' heartbeats are spread over it
 * @param transport         delay from a frame's append to the frames topic to its receipt by a device; also the
 *                          delay from capture to append
 * @param seed              everything but the timestamps follows from it; also names the frames {@code sim-<seed>-<n>}
 */
public record FleetSettings(int devices, List<TypeProfile> types, double predictionRate, Duration duration,
                            long predictions, double deadLetterShare, double groundTruthShare, Duration heartbeatInterval,
                            LatencyDistribution transport, long seed) {

    /** Devices of a fleet by default. */
    public static final int DEFAULT_DEVICES = 100;
    /** Device types of a fleet by default. */
    public static final int DEFAULT_DEVICE_TYPES = 4;
    /** Predictions per second of one device by default. */
    public static final double DEFAULT_DEVICE_RATE = 10;
    /** Top-1 accuracy of every type by default, about the project's model on CIFAR-10. */
    public static final double DEFAULT_ACCURACY = 0.92;
    /** Disagreement of each type with the reference by default. */
    public static final double DEFAULT_DISAGREEMENT = 0.02;
    /** Dead-letter share by default. */
    public static final double DEFAULT_DEAD_LETTER_SHARE = 0.001;
    /** Heartbeat interval by default, the edge consumer's. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** Frame transport delay by default: a fetch from a broker on the local network. */
    public static final LatencyDistribution DEFAULT_TRANSPORT = LatencyDistribution.ofMillis(4, 40);

    /**
     * Checks the settings, the answer shares of every type included (see {@link AnswerModel}).
     *
     * @throws IllegalArgumentException naming the setting, and the type where one is concerned, when a value is out of
     *                                  range or the types' accuracies and disagreements cannot all come out
     */
    public FleetSettings {
        types = List.copyOf(types);
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(transport, "transport");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("a fleet needs at least one device type");
        }
        Set<String> names = new HashSet<>();
        for (TypeProfile type : types) {
            if (!names.add(type.name())) {
                throw new IllegalArgumentException("device type " + type.name() + " is given twice");
            }
        }
        if (devices < types.size()) {
            throw new IllegalArgumentException("--devices " + devices + " is fewer than the " + types.size()
                    + " device types: every type needs a device");
        }
        if (!(predictionRate > 0) || Double.isInfinite(predictionRate)) {
            throw new IllegalArgumentException("the prediction rate must be a positive number per second: " + predictionRate);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("the duration must be positive: " + duration);
        }
        if (predictions < 0) {
            throw new IllegalArgumentException("predictions must be 0 (no limit) or positive: " + predictions);
        }
        TypeProfile.requireShare("(all)", "dead-letter share", deadLetterShare);
        TypeProfile.requireShare("(all)", "ground-truth share", groundTruthShare);
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive: " + heartbeatInterval);
        }
        if (types.get(0).disagreement() != 0) {
            throw new IllegalArgumentException("the reference type " + types.get(0).name()
                    + " cannot disagree with itself: its disagreement must be 0, not " + types.get(0).disagreement());
        }
        answerModels(types);
    }

    /**
     * A fleet of catalog types with the defaults: {@value #DEFAULT_ACCURACY} accuracy, {@value #DEFAULT_DISAGREEMENT}
     * disagreement, each device at {@value #DEFAULT_DEVICE_RATE} predictions per second, no limit.
     */
    public static FleetSettings defaults(int devices, int deviceTypes, long seed) {
        List<TypeProfile> profiles = DeviceTypes.generated(deviceTypes).stream()
                .map(type -> TypeProfile.of(type, DEFAULT_ACCURACY, DEFAULT_DISAGREEMENT)).toList();
        return new FleetSettings(devices, withReference(profiles), devices * DEFAULT_DEVICE_RATE, null, 0,
                DEFAULT_DEAD_LETTER_SHARE, 1.0, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_TRANSPORT, seed);
    }

    /** These settings with a total rate of prediction results per second. */
    public FleetSettings withPredictionRate(double rate) {
        return new FleetSettings(devices, types, rate, duration, predictions, deadLetterShare, groundTruthShare,
                heartbeatInterval, transport, seed);
    }

    /** These settings with limits: a duration (or null) and a number of predictions (or 0). */
    public FleetSettings withLimits(Duration newDuration, long newPredictions) {
        return new FleetSettings(devices, types, predictionRate, newDuration, newPredictions, deadLetterShare,
                groundTruthShare, heartbeatInterval, transport, seed);
    }

    /** These settings with every device type's name prefixed, so that one run's types are told from another's. */
    public FleetSettings withTypeNamePrefix(String prefix) {
        List<TypeProfile> renamed = types.stream().map(profile -> new TypeProfile(profile.type().withName(prefix + profile.name()),
                profile.accuracy(), profile.disagreement(), profile.inference())).toList();
        return new FleetSettings(devices, renamed, predictionRate, duration, predictions, deadLetterShare, groundTruthShare,
                heartbeatInterval, transport, seed);
    }

    /** These settings with other shares of dead letters and of frames with ground truth. */
    public FleetSettings withShares(double newDeadLetterShare, double newGroundTruthShare) {
        return new FleetSettings(devices, types, predictionRate, duration, predictions, newDeadLetterShare,
                newGroundTruthShare, heartbeatInterval, transport, seed);
    }

    /** These settings with another heartbeat interval. */
    public FleetSettings withHeartbeatInterval(Duration interval) {
        return new FleetSettings(devices, types, predictionRate, duration, predictions, deadLetterShare, groundTruthShare,
                interval, transport, seed);
    }

    /** The reference type, the first. */
    public TypeProfile reference() {
        return types.get(0);
    }

    /** Frames per second: every type predicts every frame. */
    public double frameRate() {
        return predictionRate / types.size();
    }

    /** Devices of the type at {@code typeIndex}. */
    public int devicesOf(int typeIndex) {
        return devices / types.size() + (typeIndex < devices % types.size() ? 1 : 0);
    }

    /** The id of frame {@code sequence}. */
    public String frameId(long sequence) {
        return "sim-" + seed + "-" + sequence;
    }

    /** The profiles with the first one's disagreement set to 0, as the reference's must be. */
    public static List<TypeProfile> withReference(List<TypeProfile> profiles) {
        if (profiles.isEmpty()) {
            return profiles;
        }
        TypeProfile first = profiles.get(0);
        List<TypeProfile> result = new java.util.ArrayList<>(profiles);
        result.set(0, new TypeProfile(first.type(), first.accuracy(), 0, first.inference()));
        return result;
    }

    /** How each type's answers follow the reference's; the reference's own is unused. */
    static List<AnswerModel> answerModels(List<TypeProfile> types) {
        TypeProfile reference = types.get(0);
        return types.stream().map(type -> AnswerModel.of(type, reference.name(), reference.accuracy())).toList();
    }
}
