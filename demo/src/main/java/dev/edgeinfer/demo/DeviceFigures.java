package dev.edgeinfer.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * What the analytics API says about one device type over the run, as the live table and the report show it.
 *
 * @param deviceType     the device type
 * @param frames         predictions counted
 * @param withTruth      predictions whose frame had a ground truth: what accuracy rests on
 * @param accuracy       top-1 accuracy, null when no frame had a ground truth
 * @param deadLetters    dead letters of the type
 * @param inference      device inference time percentiles
 * @param endToEnd       end-to-end latency percentiles (broker clock)
 * @param compared       frames compared with the reference type
 * @param disagreement   share of compared frames whose top-1 differs from the reference's; null when none compared
 * @param latencyBound   the end-to-end latency against the type's bound; null when the API gives none
 */
record DeviceFigures(String deviceType, long frames, long withTruth, Double accuracy, long deadLetters,
                     Latency inference, Latency endToEnd, long compared, Double disagreement, Bound latencyBound) {

    /**
     * Percentiles of one latency, in microseconds; null where the API says the samples do not support it.
     *
     * @param samples samples the figures rest on
     */
    record Latency(long samples, Long p50, Long p90, Long p99, Long p999, long max) {
        static Latency of(JsonNode summary) {
            if (summary == null || summary.isNull()) {
                return new Latency(0, null, null, null, null, 0);
            }
            return new Latency(summary.path("samples").asLong(), percentile(summary, "p50"), percentile(summary, "p90"),
                    percentile(summary, "p99"), percentile(summary, "p99.9"), summary.path("maxMicros").asLong());
        }

        private static Long percentile(JsonNode summary, String name) {
            for (JsonNode p : summary.path("percentiles")) {
                if (p.path("name").asText().equals(name)) {
                    return p.path("micros").isNumber() ? p.path("micros").asLong() : null;
                }
            }
            return null;
        }
    }

    /**
     * The end-to-end latency judged against the device type's bound, as the API's {@code latencyBound} gives it.
     *
     * @param percentile     the bound's percentile, e.g. 99.0
     * @param boundMillis    the most the latency at that percentile may be
     * @param observedMillis the latency at that percentile; null when the samples do not support it
     * @param samples        end-to-end samples
     * @param samplesNeeded  samples the percentile needs
     * @param verdict        {@code VALID}, {@code INVALID} or {@code INSUFFICIENT_SAMPLES}
     */
    record Bound(double percentile, double boundMillis, Double observedMillis, long samples, long samplesNeeded,
                 String verdict) {

        static final String INSUFFICIENT = "INSUFFICIENT_SAMPLES";

        static Bound of(JsonNode check) {
            if (check == null || !check.isObject()) {
                return null;
            }
            return new Bound(check.path("percentile").asDouble(), check.path("boundMillis").asDouble(),
                    check.path("observedMillis").isNumber() ? check.path("observedMillis").asDouble() : null,
                    check.path("samples").asLong(), check.path("samplesNeeded").asLong(), check.path("verdict").asText());
        }

        /** E.g. {@code p99 <= 100 ms: VALID (42.10 ms)} or {@code p99 <= 100 ms: INSUFFICIENT_SAMPLES (n=340 of 1000)}. */
        String text() {
            String bound = "p" + plain(percentile) + " <= " + plain(boundMillis) + " ms: " + verdict;
            return observedMillis == null
                    ? bound + " (n=" + samples + " of " + samplesNeeded + ")"
                    : bound + String.format(Locale.ROOT, " (%.2f ms)", observedMillis);
        }

        /** The verdict in a few characters, for the live table: {@code VALID}, {@code INVALID} or {@code n=340/1000}. */
        String shortText() {
            return verdict.equals(INSUFFICIENT) ? "n=" + samples + "/" + samplesNeeded : verdict;
        }

        private static String plain(double value) {
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }

    static DeviceFigures of(String deviceType, JsonNode stats, JsonNode agreement) {
        long compared = 0;
        Double disagreement = null;
        if (agreement != null) {
            for (JsonNode row : agreement.path("againstReference")) {
                if (row.path("deviceType").asText().equals(deviceType)) {
                    compared = row.path("compared").asLong();
                    disagreement = row.path("disagreement").isNumber() ? row.path("disagreement").asDouble() : null;
                }
            }
        }
        if (stats == null) {
            return new DeviceFigures(deviceType, 0, 0, null, 0, Latency.of(null), Latency.of(null), compared, disagreement, null);
        }
        return new DeviceFigures(deviceType, stats.path("frames").asLong(), stats.path("framesWithGroundTruth").asLong(),
                stats.path("accuracy").isNumber() ? stats.path("accuracy").asDouble() : null, stats.path("deadLetters").asLong(),
                Latency.of(stats.get("inference")), Latency.of(stats.get("endToEnd")), compared, disagreement,
                Bound.of(stats.get("latencyBound")));
    }
}
