package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.producer.FrameProducerApp.DurationConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The simulator's options that describe the fleet, and how they become {@link FleetSettings}. */
final class FleetOptions {

    @Option(names = "--devices", paramLabel = "N", defaultValue = "" + FleetSettings.DEFAULT_DEVICES,
            description = "Devices in all, spread evenly over the types (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--device-types", paramLabel = "M",
            description = "Number of device types, named from realistic engine/accelerator/precision combinations "
                    + "(openvino-cpu-fp32, openvino-cpu-int8, onnxruntime-cpu-fp32, ...); default: "
                    + FleetSettings.DEFAULT_DEVICE_TYPES + ", or as many as --types names.")
    Integer deviceTypes;

    @Option(names = "--types", paramLabel = "TYPE", split = ",",
            description = "Device type names instead of generated ones. The first is the reference the others' "
                    + "--disagreement is measured against.")
    List<String> types;

    @Option(names = "--rate", paramLabel = "R",
            description = "Predictions per second of each device (default: " + FleetSettings.DEFAULT_DEVICE_RATE + ").")
    Double deviceRate;

    @Option(names = "--total-rate", paramLabel = "R",
            description = "Predictions per second of the whole fleet, instead of --rate. Frames arrive at this rate "
                    + "divided by the number of types: every type predicts every frame once.")
    Double totalRate;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Plan frames for this long, e.g. 30s, 10m, 1h or PT90S, then finish their predictions.")
    Duration duration;

    @Option(names = "--predictions", paramLabel = "N", defaultValue = "0",
            description = "Stop after writing N predictions; 0 for no limit. Without this and --duration, the "
                    + "simulation runs until stopped (Ctrl-C).")
    long predictions;

    @Option(names = "--accuracy", paramLabel = "[TYPE=]SHARE", split = ",",
            description = "Share of frames a type classifies right (default: " + FleetSettings.DEFAULT_ACCURACY + ").")
    List<String> accuracy;

    @Option(names = "--disagreement", paramLabel = "[TYPE=]SHARE", split = ",",
            description = "Share of frames a type's top-1 class differs from the reference type's (default: "
                    + FleetSettings.DEFAULT_DISAGREEMENT + "). It must be at least the gap between their accuracies.")
    List<String> disagreement;

    @Option(names = "--inference-median-ms", paramLabel = "[TYPE=]MS", split = ",",
            description = "Median inference time of one frame, log-normal (default: per known type, e.g. 0.46 for "
                    + "openvino-cpu-int8).")
    List<String> inferenceMedianMs;

    @Option(names = "--inference-p99-ms", paramLabel = "[TYPE=]MS", split = ",",
            description = "99th percentile of the inference time (default: per known type; with only a median given, "
                    + "the type's usual ratio to it).")
    List<String> inferenceP99Ms;

    @Option(names = "--transport-median-ms", paramLabel = "MS", defaultValue = "4",
            description = "Median delay from a frame's append to the frames topic to its receipt by a device; "
                    + "end-to-end latency is this plus the time on the device (default: ${DEFAULT-VALUE}).")
    double transportMedianMs;

    @Option(names = "--transport-p99-ms", paramLabel = "MS", defaultValue = "40",
            description = "99th percentile of that delay (default: ${DEFAULT-VALUE}).")
    double transportP99Ms;

    @Option(names = "--dead-letter-share", paramLabel = "SHARE", defaultValue = "" + FleetSettings.DEFAULT_DEAD_LETTER_SHARE,
            description = "Share of results that are dead letters instead of predictions: half DECODE failures of "
                    + "bad frames (every type), half INFERENCE failures of single devices (default: ${DEFAULT-VALUE}).")
    double deadLetterShare;

    @Option(names = "--ground-truth-share", paramLabel = "SHARE", defaultValue = "1",
            description = "Share of frames that carry their ground truth (default: ${DEFAULT-VALUE}).")
    double groundTruthShare;

    @Option(names = "--heartbeat-interval", paramLabel = "TIME", defaultValue = "5s", converter = DurationConverter.class,
            description = "Time between two heartbeats of one device (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed: the same seed writes the same records, apart from their times; frames are named "
                    + "sim-<seed>-<n>. Default: random, logged.")
    Long seed;

    /**
     * The settings these options describe.
     *
     * @param runSeed the seed to use: {@code --seed}, or a random one when it is not given
     * @throws IllegalArgumentException naming the option when options contradict each other or a value is out of range
     */
    FleetSettings settings(long runSeed) {
        List<DeviceType> fleetTypes = deviceTypes();
        List<String> names = fleetTypes.stream().map(DeviceType::name).toList();
        PerTypeValues accuracies = PerTypeValues.parse("--accuracy", accuracy, FleetSettings.DEFAULT_ACCURACY);
        PerTypeValues disagreements = PerTypeValues.parse("--disagreement", disagreement, FleetSettings.DEFAULT_DISAGREEMENT);
        PerTypeValues medians = PerTypeValues.parse("--inference-median-ms", inferenceMedianMs, null);
        PerTypeValues p99s = PerTypeValues.parse("--inference-p99-ms", inferenceP99Ms, null);
        for (PerTypeValues values : List.of(accuracies, disagreements, medians, p99s)) {
            values.requireKnown(names);
        }
        List<TypeProfile> profiles = new ArrayList<>();
        for (int t = 0; t < fleetTypes.size(); t++) {
            DeviceType type = fleetTypes.get(t);
            LatencyDistribution typical = type.typicalInference();
            double median = medians.valueFor(type.name(), typical.medianMicros() / 1000);
            double p99 = p99s.valueFor(type.name(), median * typical.p99Micros() / typical.medianMicros());
            // The reference's disagreement with itself is 0, unless named explicitly (which the settings refuse).
            double disagrees = t == 0 && !disagreements.names(type.name()) ? 0 : disagreements.valueFor(type.name(), 0);
            profiles.add(new TypeProfile(type, accuracies.valueFor(type.name(), 0), disagrees,
                    inference(type.name(), median, p99)));
        }
        return new FleetSettings(devices, profiles, predictionRate(), duration, predictions, deadLetterShare,
                groundTruthShare, heartbeatInterval, transport(), runSeed);
    }

    private List<DeviceType> deviceTypes() {
        if (types == null || types.isEmpty()) {
            return DeviceTypes.generated(deviceTypes != null ? deviceTypes : FleetSettings.DEFAULT_DEVICE_TYPES);
        }
        if (deviceTypes != null && deviceTypes != types.size()) {
            throw new IllegalArgumentException("--device-types " + deviceTypes + " contradicts --types, which names "
                    + types.size() + " type(s)");
        }
        return types.stream().map(String::strip).map(DeviceTypes::named).toList();
    }

    private double predictionRate() {
        if (deviceRate != null && totalRate != null) {
            throw new IllegalArgumentException("give --rate (per device) or --total-rate (whole fleet), not both");
        }
        if (totalRate != null) {
            return totalRate;
        }
        double perDevice = deviceRate != null ? deviceRate : FleetSettings.DEFAULT_DEVICE_RATE;
        if (!(perDevice > 0)) {
            throw new IllegalArgumentException("--rate must be a positive number of predictions per second: " + perDevice);
        }
        return perDevice * devices;
    }

    private LatencyDistribution transport() {
        try {
            return LatencyDistribution.ofMillis(transportMedianMs, transportP99Ms);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--transport-median-ms/--transport-p99-ms: " + e.getMessage(), e);
        }
    }

    private static LatencyDistribution inference(String type, double medianMs, double p99Ms) {
        try {
            return LatencyDistribution.ofMillis(medianMs, p99Ms);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--inference-median-ms/--inference-p99-ms of device type " + type + ": "
                    + e.getMessage(), e);
        }
    }
}
