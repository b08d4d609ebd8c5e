package dev.edgeinfer.producer.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a simulation wrote: every count is of records the brokers acknowledged, so a reader of the topics finds
 * exactly these. Plain numbers and strings only, so it reads the same as JSON ({@link #writeJson}).
 *
 * @param seed                  the run's seed
 * @param devices               devices simulated
 * @param referenceDeviceType   the type the others' disagreement was planned against
 * @param plannedPredictionRate prediction results (predictions and dead letters) per second planned
 * @param frames                frames at least one result of which was sent
 * @param predictions           predictions written to the predictions topic
 * @param heartbeats            heartbeats written to the heartbeats topic
 * @param deadLetters           dead letters written to the dead-letters topic
 * @param sendErrors            records Kafka did not deliver
 * @param deviceTypes           per device type
 * @param elapsedSeconds        from the start until every record sent was acknowledged or failed
 * @param sendSeconds           from the start to the last send
 * @param achievedPredictionRate prediction results sent per second, start to last send
 * @param achievedRecordRate    records of all kinds sent per second, start to last send
 * @param lagMedianMillis       median lag of a send behind its plan
 * @param lagP99Millis          99th percentile of that lag
 * @param lagMaxMillis          the largest lag
 * @param stopReason            why the run ended: {@code duration reached}, {@code predictions reached},
 *                              {@code stopped} or {@code failed}
 */
public record FleetSummary(long seed, int devices, String referenceDeviceType, double plannedPredictionRate, long frames,
                           long predictions, long heartbeats, long deadLetters, long sendErrors,
                           List<DeviceTypeTotals> deviceTypes, double elapsedSeconds, double sendSeconds,
                           double achievedPredictionRate, double achievedRecordRate, double lagMedianMillis,
                           double lagP99Millis, double lagMaxMillis, String stopReason) {

    public FleetSummary {
        deviceTypes = List.copyOf(deviceTypes);
    }

    /**
     * What one device type wrote.
     *
     * @param deviceType      the type's name
     * @param devices         its devices
     * @param predictions     its predictions written
     * @param withGroundTruth those whose frame carried its ground truth
     * @param correct         those of them whose top-1 class is the ground truth
     * @param deadLetters     its dead letters written
     */
    public record DeviceTypeTotals(String deviceType, int devices, long predictions, long withGroundTruth, long correct,
                                   long deadLetters) {

        /** Top-1 accuracy over the predictions with ground truth; NaN without any. */
        public double accuracy() {
            return withGroundTruth == 0 ? Double.NaN : (double) correct / withGroundTruth;
        }
    }

    /** Records written, of all kinds. */
    public long records() {
        return predictions + heartbeats + deadLetters;
    }

    /** A few lines for people. */
    public String format() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Simulated %d device(s) of %d type(s), seed %d: %d frame(s) in %.3f s (%s)%n",
                devices, deviceTypes.size(), seed, frames, elapsedSeconds, stopReason));
        text.append(String.format(Locale.ROOT, "  written: %d prediction(s), %d heartbeat(s), %d dead letter(s); "
                + "send errors %d%n", predictions, heartbeats, deadLetters, sendErrors));
        text.append(String.format(Locale.ROOT, "  rate: planned %.1f predictions/s, achieved %.1f predictions/s "
                + "(%.1f records/s)%n", plannedPredictionRate, achievedPredictionRate, achievedRecordRate));
        text.append(String.format(Locale.ROOT, "  lag behind plan: median %.1f ms, p99 %.1f ms, max %.1f ms%n",
                lagMedianMillis, lagP99Millis, lagMaxMillis));
        text.append(String.format(Locale.ROOT, "  %-28s %8s %12s %12s %12s %9s %12s", "device type", "devices",
                "predictions", "with truth", "correct", "accuracy", "dead letters"));
        for (DeviceTypeTotals type : deviceTypes) {
            text.append(String.format(Locale.ROOT, "%n  %-28s %8d %12d %12d %12d %9s %12d", type.deviceType(),
                    type.devices(), type.predictions(), type.withGroundTruth(), type.correct(),
                    type.withGroundTruth() == 0 ? "-" : String.format(Locale.ROOT, "%.4f", type.accuracy()),
                    type.deadLetters()));
        }
        return text.toString();
    }

    /**
     * Writes the summary as JSON, its components as fields.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the fleet summary to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a summary {@link #writeJson} wrote.
     *
     * @throws UncheckedIOException naming the file when it cannot be read or is not such a summary
     */
    public static FleetSummary readJson(Path file) {
        try {
            return new ObjectMapper().readValue(file.toFile(), FleetSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a fleet summary from " + file + ": " + e.getMessage(), e);
        }
    }
}
