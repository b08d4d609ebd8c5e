package dev.edgeinfer.demo;

import dev.edgeinfer.schemas.analytics.AgreementReport;
import dev.edgeinfer.schemas.analytics.LatencyBoundCheck;
import dev.edgeinfer.schemas.analytics.LatencySummary;
import dev.edgeinfer.schemas.analytics.PercentileValue;
import dev.edgeinfer.schemas.analytics.WindowStats;
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
        static Latency of(LatencySummary summary) {
            if (summary == null) {
                return new Latency(0, null, null, null, null, 0);
            }
            return new Latency(summary.samples(), percentile(summary, "p50"), percentile(summary, "p90"),
                    percentile(summary, "p99"), percentile(summary, "p99.9"), summary.maxMicros());
        }

        private static Long percentile(LatencySummary summary, String name) {
            return summary.percentiles().stream().filter(p -> p.name().equals(name)).findFirst()
                    .map(PercentileValue::micros).orElse(null);
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

        static Bound of(LatencyBoundCheck check) {
            if (check == null) {
                return null;
            }
            return new Bound(check.percentile(), check.boundMillis(), check.observedMillis(), check.samples(),
                    check.samplesNeeded(), check.verdict().name());
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

    static DeviceFigures of(String deviceType, WindowStats stats, AgreementReport agreement) {
        long compared = 0;
        Double disagreement = null;
        if (agreement != null) {
            for (AgreementReport.ReferenceAgreement row : agreement.againstReference()) {
                if (row.deviceType().equals(deviceType)) {
                    compared = row.compared();
                    disagreement = row.disagreement();
                }
            }
        }
        if (stats == null) {
            return new DeviceFigures(deviceType, 0, 0, null, 0, Latency.of(null), Latency.of(null), compared, disagreement, null);
        }
        return new DeviceFigures(deviceType, stats.frames(), stats.framesWithGroundTruth(), stats.accuracy(), stats.deadLetters(),
                Latency.of(stats.inference()), Latency.of(stats.endToEnd()), compared, disagreement,
                Bound.of(stats.latencyBound()));
    }
}
