package dev.edgeinfer.testsupport.apps;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one edge consumer is started: its device, the artifact it runs and its settings. Defaults: the committed
 * OpenVINO INT8 artifact, exactly-once delivery, no metrics endpoint, the app's default topics. The JVM options
 * default to the app's ({@link App#defaultJvmOptions()}).
 */
public final class EdgeConsumerLaunch {

    private final String deviceId;
    private final String deviceType;
    private String name;
    private final Map<String, String> options = new LinkedHashMap<>();
    private List<String> jvmOptions = App.EDGE_CONSUMER.defaultJvmOptions();
    private final Map<String, String> environment = new LinkedHashMap<>();

    private EdgeConsumerLaunch(String deviceId, String deviceType) {
        this.deviceId = deviceId;
        this.deviceType = deviceType;
        this.name = deviceId;
        options.put("--engine", "openvino");
        options.put("--artifact", "openvino-int8");
        options.put("--delivery", "exactly-once");
        options.put("--metrics-port", "-1");
    }

    /** A device of the type given; devices of one type share a consumer group unless {@link #group} says otherwise. */
    public static EdgeConsumerLaunch device(String deviceId, String deviceType) {
        return new EdgeConsumerLaunch(deviceId, deviceType);
    }

    /** The engine and the manifest's artifact it runs, e.g. {@code onnxruntime} and {@code onnx-int8}. */
    public EdgeConsumerLaunch artifact(String engine, String artifactId) {
        options.put("--engine", engine);
        options.put("--artifact", artifactId);
        return this;
    }

    /** The folder with the manifest and the artifacts; the repository's {@code models/} unless given. */
    public EdgeConsumerLaunch modelsDir(Path modelsDir) {
        return option("--models-dir", modelsDir.toString());
    }

    public EdgeConsumerLaunch framesTopic(String topic) {
        return option("--frames-topic", topic);
    }

    public EdgeConsumerLaunch predictionsTopic(String topic) {
        return option("--predictions-topic", topic);
    }

    public EdgeConsumerLaunch deadLettersTopic(String topic) {
        return option("--dead-letters-topic", topic);
    }

    /** {@code exactly-once} or {@code at-least-once}. */
    public EdgeConsumerLaunch delivery(String delivery) {
        return option("--delivery", delivery);
    }

    public EdgeConsumerLaunch group(String group) {
        return option("--group", group);
    }

    /** The Prometheus endpoint's port: 0 for a free one, -1 for none. */
    public EdgeConsumerLaunch metricsPort(int port) {
        return option("--metrics-port", Integer.toString(port));
    }

    /** Any other option of the edge consumer, replacing an earlier value of the same option. */
    public EdgeConsumerLaunch option(String name, String value) {
        options.put(name, value);
        return this;
    }

    /** The JVM's options, replacing the app's defaults (e.g. the memory flags of a deployment). */
    public EdgeConsumerLaunch jvmOptions(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
        return this;
    }

    /** A variable added to the process's environment (e.g. {@code MALLOC_ARENA_MAX}). */
    public EdgeConsumerLaunch environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The process's name, which names its log ({@code <name>.log}); the device id unless given. */
    public EdgeConsumerLaunch named(String name) {
        this.name = name;
        return this;
    }

    String name() {
        return name;
    }

    List<String> jvmOptions() {
        return jvmOptions;
    }

    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** The command-line arguments, after the {@code --config} the launcher gives every app. */
    List<String> args(Path defaultModelsDir) {
        List<String> args = new ArrayList<>(List.of("--device-id", deviceId, "--device-type", deviceType, "--no-create-topics"));
        Map<String, String> all = new LinkedHashMap<>(options);
        all.putIfAbsent("--models-dir", defaultModelsDir.toString());
        all.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return args;
    }
}
