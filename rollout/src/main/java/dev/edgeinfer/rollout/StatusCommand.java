package dev.edgeinfer.rollout;

import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelUpdate;
import dev.edgeinfer.schemas.config.ConnectionOptions;
import dev.edgeinfer.schemas.models.ModelTargets;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code models status}: the assignments in force, and what each device of their types runs and says of them. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the model assignments in force and, from the devices' latest heartbeats, which model each "
                + "device of those types runs and where it is with its assignment.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Option(names = "--device-type", description = "Only this device type.")
    String deviceType;
    @Option(names = "--timeout", defaultValue = "PT30S", description = "Longest to read the topics (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        Map<String, Object> client = connection.load();
        AvroDeserializer<ModelAssignment> assignments = AvroDeserializer.forClass(ModelAssignment.class);
        assignments.configure(client, false);
        AvroDeserializer<DeviceHeartbeat> heartbeats = AvroDeserializer.forClass(DeviceHeartbeat.class);
        heartbeats.configure(client, false);
        Collection<ModelAssignment> inForce = LatestByKey.read(client, Topics.MODELS, assignments, timeout).values();
        Collection<DeviceHeartbeat> devices = LatestByKey.read(client, Topics.HEARTBEATS, heartbeats, timeout).values();
        print(System.out, inForce, devices, deviceType, Instant.now());
        return 0;
    }

    /** Writes the report: per device type with an assignment, its assignments, then each of its devices. */
    static void print(PrintStream out, Collection<ModelAssignment> inForce, Collection<DeviceHeartbeat> devices, String only,
                      Instant now) {
        List<String> types = inForce.stream().map(ModelAssignment::getDeviceType).distinct().sorted()
                .filter(t -> only == null || t.equals(only)).toList();
        if (types.isEmpty()) {
            out.println("no model assignment in force" + (only == null ? "" : " for " + only));
        }
        for (String type : types) {
            out.println(type);
            inForce.stream().filter(a -> a.getDeviceType().equals(type)).forEach(a -> out.printf(
                    "  assigned %-24s %s %s (%s, sha256 %.12s) %s, by %s at %s%n", ModelTargets.key(a), a.getModel().getName(),
                    a.getModel().getVersion(), a.getModel().getArtifactId(), a.getModel().getSha256(),
                    a.getCohort() == null ? "all devices" : a.getSharePercent() + "% of devices", a.getPublishedBy(),
                    a.getPublishedTime()));
            devices.stream().filter(d -> d.getDeviceType().equals(type)).sorted((x, y) -> x.getDeviceId().compareTo(y.getDeviceId()))
                    .forEach(d -> out.println("  device " + describe(d, inForce, now)));
        }
    }

    static String describe(DeviceHeartbeat device, Collection<ModelAssignment> inForce, Instant now) {
        String follows = ModelTargets.applicable(inForce, device.getDeviceType(), device.getDeviceId()).map(ModelTargets::key)
                .orElse("nothing");
        ModelUpdate update = device.getModelUpdate();
        String state = update == null ? "no assignment seen"
                : update.getState() + " " + update.getVersion() + " of " + update.getTarget()
                        + (update.getSwapPauseMillis() == null ? "" : ", swapped in " + update.getSwapPauseMillis() + " ms")
                        + (update.getReason() == null ? "" : ": " + update.getReason());
        return String.format("%s runs %s %s (%s), follows %s: %s; heartbeat %d s ago", device.getDeviceId(),
                device.getModel().getName(), device.getModel().getVersion(), device.getModel().getArtifactId(), follows, state,
                Duration.between(device.getSentTime(), now).toSeconds());
    }
}
