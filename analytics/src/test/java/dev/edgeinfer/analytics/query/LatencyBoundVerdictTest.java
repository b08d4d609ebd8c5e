package dev.edgeinfer.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.analytics.config.LatencyBound;
import dev.edgeinfer.analytics.stats.LatencyHistogram;
import dev.edgeinfer.schemas.analytics.LatencyBoundCheck;
import dev.edgeinfer.schemas.analytics.LatencyBoundVerdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The verdict of a window's end-to-end latency against a bound, at the edges of the percentile rule and the bound. */
class LatencyBoundVerdictTest {

    private static final LatencyBound P99_WITHIN_1MS = new LatencyBound(99, Duration.ofMillis(1));

    @Test
    void insufficientOneSampleShortOfTheRuleAndJudgedAtIt() {
        // 989 fast samples and 10 slow ones: p99 would be slow, but 999 samples do not support p99.
        LatencyHistogram endToEnd = histogram(989, 500, 10, 5000);
        LatencyBoundCheck check = StatsQueries.latencyBound(P99_WITHIN_1MS, endToEnd);
        assertThat(check).isEqualTo(new LatencyBoundCheck(99.0, 1.0, null, 999, 1000, LatencyBoundVerdict.INSUFFICIENT_SAMPLES));

        // The thousandth sample makes p99 supported: the 10 slow samples are exactly the top 1%, p99 is the fast 500 µs.
        endToEnd.record(500);
        assertThat(StatsQueries.latencyBound(P99_WITHIN_1MS, endToEnd))
                .isEqualTo(new LatencyBoundCheck(99.0, 1.0, 0.5, 1000, 1000, LatencyBoundVerdict.VALID));

        // One more slow sample: p99 (rank 990 of 1001) is now slow.
        endToEnd.record(5000);
        assertThat(StatsQueries.latencyBound(P99_WITHIN_1MS, endToEnd))
                .isEqualTo(new LatencyBoundCheck(99.0, 1.0, 5.0, 1001, 1000, LatencyBoundVerdict.INVALID));
    }

    @Test
    void aPercentileEqualToTheBoundIsValidAndOneMicrosecondAboveItIsNot() {
        assertThat(StatsQueries.latencyBound(P99_WITHIN_1MS, histogram(1000, 1000, 0, 0)).verdict())
                .isEqualTo(LatencyBoundVerdict.VALID);
        LatencyBoundCheck above = StatsQueries.latencyBound(P99_WITHIN_1MS, histogram(1000, 1001, 0, 0));
        assertThat(above.verdict()).isEqualTo(LatencyBoundVerdict.INVALID);
        assertThat(above.observedMillis()).isEqualTo(1.001);
    }

    @Test
    void aPercentileOutsideTheReportedOnesNeedsItsOwnSampleCount() {
        LatencyBound p90 = new LatencyBound(90, Duration.ofMillis(2));
        assertThat(StatsQueries.latencyBound(p90, histogram(99, 1000, 0, 0)).verdict())
                .isEqualTo(LatencyBoundVerdict.INSUFFICIENT_SAMPLES);
        assertThat(StatsQueries.latencyBound(p90, histogram(100, 1000, 0, 0)).verdict()).isEqualTo(LatencyBoundVerdict.VALID);

        LatencyBound p97 = new LatencyBound(97, Duration.ofMillis(2));
        LatencyBoundCheck check = StatsQueries.latencyBound(p97, histogram(333, 1000, 0, 0));
        assertThat(check.samplesNeeded()).isEqualTo(334);
        assertThat(check.verdict()).isEqualTo(LatencyBoundVerdict.INSUFFICIENT_SAMPLES);
    }

    @Test
    void anEmptyWindowIsInsufficient() {
        assertThat(StatsQueries.latencyBound(P99_WITHIN_1MS, new LatencyHistogram()))
                .isEqualTo(new LatencyBoundCheck(99.0, 1.0, null, 0, 1000, LatencyBoundVerdict.INSUFFICIENT_SAMPLES));
    }

    private static LatencyHistogram histogram(int fast, long fastMicros, int slow, long slowMicros) {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < fast; i++) {
            histogram.record(fastMicros);
        }
        for (int i = 0; i < slow; i++) {
            histogram.record(slowMicros);
        }
        return histogram;
    }
}
