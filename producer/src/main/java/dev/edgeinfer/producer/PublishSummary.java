package dev.edgeinfer.producer;

import dev.edgeinfer.producer.rate.LagRecorder.LagStats;
import java.time.Duration;
import java.util.Locale;

/**
 * What a run did.
 *
 * @param source      the source's description
 * @param sent        frames handed to Kafka
 * @param acked       frames acknowledged by the brokers
 * @param failed      frames Kafka did not deliver (the producer's own retries ran out)
 * @param skipped     bad images reported and skipped
 * @param bytes       image bytes of the sent frames
 * @param elapsed     from the start until every sent frame was acknowledged or failed
 * @param sendSpan    from the start to the last send
 * @param targetFps   the planned rate, 0 when unpaced
 * @param lag         how far sends fell behind the plan
 * @param stopReason  why the run ended
 */
public record PublishSummary(String source, long sent, long acked, long failed, long skipped, long bytes,
                             Duration elapsed, Duration sendSpan, double targetFps, LagStats lag, String stopReason) {

    /**
     * Frames handed to Kafka per second from the start to the last send, counted as intervals (frames - 1), so a run
     * that kept its plan shows exactly the target rate.
     */
    public double sendRate() {
        double seconds = sendSpan.toNanos() / 1e9;
        return sent < 2 || seconds <= 0 ? 0 : (sent - 1) / seconds;
    }

    /** Acknowledged frames per second over the whole run, flush included: the producer's throughput. */
    public double throughput() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : acked / seconds;
    }

    /** A few lines for people. */
    public String format() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Published %d frame(s) from %s in %.3f s (%s)%n",
                acked, source, elapsed.toNanos() / 1e9, stopReason));
        text.append(String.format(Locale.ROOT, "  sent %d, acknowledged %d, failed %d, bad input skipped %d, %.1f MB of images%n",
                sent, acked, failed, skipped, bytes / 1e6));
        text.append(String.format(Locale.ROOT, "  rate: %s, achieved %.1f frames/s sending, %.1f frames/s acknowledged%n",
                targetFps > 0 ? String.format(Locale.ROOT, "planned %.1f frames/s", targetFps) : "unpaced",
                sendRate(), throughput()));
        if (targetFps > 0) {
            text.append(String.format(Locale.ROOT, "  lag behind plan: median %s, p99 %s, max %s, at the end %s",
                    millis(lag.median()), millis(lag.p99()), millis(lag.max()), millis(lag.latest())));
        } else {
            text.append("  lag behind plan: none measured (unpaced: every frame is due at once)");
        }
        return text.toString();
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }
}
