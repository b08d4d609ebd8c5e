package dev.edgeinfer.schemas.models;

import dev.edgeinfer.avro.ModelAssignment;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Who follows which model assignment: the key of an assignment on the models topic, and the rule that picks the one a
 * device runs. Publishers, devices and whoever reports on a rollout share it, so they agree on which devices a cohort
 * holds without asking them.
 *
 * <p>A cohort of {@code N} percent holds the devices whose bucket, the first four bytes of
 * {@code SHA-256("<cohort>/<device id>")} read as an unsigned big-endian number modulo 100, is below {@code N}: stable
 * across restarts and languages, and a cohort's share can grow without moving devices out of it.
 */
public final class ModelTargets {

    /** Between device type and cohort in a target key. */
    public static final String COHORT_SEPARATOR = "#";

    private ModelTargets() {
    }

    /**
     * @param deviceType the device type
     * @param cohort     the cohort, or null for all of the type's devices
     * @return the assignment's key: the device type, or {@code <deviceType>#<cohort>}
     */
    public static String key(String deviceType, String cohort) {
        return cohort == null ? deviceType : deviceType + COHORT_SEPARATOR + cohort;
    }

    /** @return the key of the assignment */
    public static String key(ModelAssignment assignment) {
        return key(assignment.getDeviceType(), assignment.getCohort());
    }

    /**
     * @return the device's bucket for the cohort, 0 to 99
     */
    public static int bucket(String cohort, String deviceId) {
        byte[] hash = ArtifactChunks.sha256().digest((cohort + "/" + deviceId).getBytes(StandardCharsets.UTF_8));
        long value = ((hash[0] & 0xFFL) << 24) | ((hash[1] & 0xFFL) << 16) | ((hash[2] & 0xFFL) << 8) | (hash[3] & 0xFFL);
        return (int) (value % 100);
    }

    /** @return whether the device is in the assignment's share: always without a cohort */
    public static boolean includes(ModelAssignment assignment, String deviceId) {
        return assignment.getCohort() == null || bucket(assignment.getCohort(), deviceId) < assignment.getSharePercent();
    }

    /**
     * The assignment a device follows among those in force: of its device type, the first cohort (by name) that
     * includes it, else the one for the whole type.
     *
     * @param inForce    the latest assignment of every target
     * @param deviceType the device's type
     * @param deviceId   the device's id
     * @return the assignment, or empty when none applies (the device keeps the model it started with)
     */
    public static Optional<ModelAssignment> applicable(Collection<ModelAssignment> inForce, String deviceType,
                                                       String deviceId) {
        Optional<ModelAssignment> cohort = inForce.stream()
                .filter(a -> a.getDeviceType().equals(deviceType) && a.getCohort() != null && includes(a, deviceId))
                .min(Comparator.comparing(ModelAssignment::getCohort));
        if (cohort.isPresent()) {
            return cohort;
        }
        return inForce.stream().filter(a -> a.getDeviceType().equals(deviceType) && a.getCohort() == null).findFirst();
    }

    /**
     * @param assignment an assignment as read
     * @return what is wrong with it, or empty when it can be followed
     */
    public static Optional<String> problem(ModelAssignment assignment) {
        if (assignment.getCohort() == null && assignment.getSharePercent() != 100) {
            return Optional.of("an assignment without a cohort is for 100 percent of its devices, not "
                    + assignment.getSharePercent());
        }
        if (assignment.getSharePercent() < 1 || assignment.getSharePercent() > 100) {
            return Optional.of("share " + assignment.getSharePercent() + " percent is outside 1..100");
        }
        if (assignment.getFiles().isEmpty()) {
            return Optional.of("it lists no file");
        }
        return Optional.empty();
    }
}
