package dev.edgeinfer.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.ModelVerdict;
import dev.edgeinfer.schemas.analytics.LatencySummary;
import dev.edgeinfer.schemas.analytics.PairAgreement;
import dev.edgeinfer.schemas.analytics.PercentileValue;
import dev.edgeinfer.schemas.analytics.WindowStats;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CanaryJudgeTest {

    private final CanaryJudge judge = new CanaryJudge(new CanaryJudge.Thresholds(0.02, 1000, 1.5, 0.05));

    /** Stats with {@code labelled} labelled frames at {@code accuracy}, and an end-to-end p99 (null: not supported). */
    static Optional<WindowStats> stats(long labelled, double accuracy, Long p99Micros) {
        PercentileValue p99 = p99Micros == null ? new PercentileValue("p99", 99, null, PercentileValue.INSUFFICIENT, 1000)
                : new PercentileValue("p99", 99, p99Micros, PercentileValue.OK, 1000);
        LatencySummary endToEnd = new LatencySummary(labelled, 0, 0, List.of(p99));
        return Optional.of(new WindowStats("model", "t@m:1", "15m", 0, 1, labelled, labelled, Math.round(labelled * accuracy),
                accuracy, 1, 0, 0, 0, null, null, endToEnd, null));
    }

    @Test
    void rollsBackOnAnAccuracyDropOverTheThresholdOnceBothSidesHaveTheirLabelledFrames() {
        var judgement = judge.judge(stats(1000, 0.77, null), stats(1000, 0.92, null));
        assertThat(judgement.verdict()).contains(ModelVerdict.ROLLBACK);
        assertThat(judgement.reason()).startsWith("accuracy dropped by 0.1500, more than the 0.0200 allowed");
        // The same drop on fewer labelled frames than the rule needs is not judged yet.
        assertThat(judge.judge(stats(999, 0.77, null), stats(5000, 0.92, null)).verdict()).isEmpty();
    }

    @Test
    void rollsBackOnAP99OverTheRatioOnlyWhenBothP99sAreReported() {
        assertThat(judge.judge(stats(10, 0.9, 40_000L), stats(10, 0.9, 20_000L)).verdict()).contains(ModelVerdict.ROLLBACK);
        assertThat(judge.judge(stats(10, 0.9, 40_000L), stats(10, 0.9, null)).verdict()).isEmpty();
    }

    @Test
    void promotesOnlyWithAccuracyAndLatencyBothJudgedWithinTheThresholds() {
        var judgement = judge.judge(stats(1200, 0.915, 21_000L), stats(3000, 0.92, 20_000L));
        assertThat(judgement.verdict()).contains(ModelVerdict.PROMOTE);
        assertThat(judgement.reason()).contains("candidate accuracy 0.9150 on 1200 labelled, p99 21.0 ms");
        assertThat(judge.judge(stats(1200, 0.915, null), stats(3000, 0.92, 20_000L)).verdict()).isEmpty();
        assertThat(judge.judge(Optional.empty(), stats(3000, 0.92, 20_000L)).reason()).startsWith("waiting for at least 1000");
    }

    @Test
    void refusesThresholdsOutOfRange() {
        assertThatThrownBy(() -> new CanaryJudge.Thresholds(1.5, 1000, 1.5, 0.05)).hasMessageContaining("accuracy drop 1.5");
        assertThatThrownBy(() -> new CanaryJudge.Thresholds(0.02, 0, 1.5, 0.05)).hasMessageContaining("labelled frames 0");
    }

    @Test
    void aShadowIsRolledBackOnItsDisagreementAndPromotedOnlyOnceEnoughFramesWereCompared() {
        var figures = stats(1200, 0.915, 21_000L);
        var incumbent = stats(3000, 0.92, 20_000L);
        var disagreeing = Optional.of(Optional.of(new PairAgreement("a", "b", 0, 1, 1000, 80, 0.08)));
        assertThat(judge.judge(figures, incumbent, disagreeing).verdict()).contains(ModelVerdict.ROLLBACK);
        assertThat(judge.judge(figures, incumbent, disagreeing).reason()).startsWith("the shadow disagreed on 0.0800");
        var few = Optional.of(Optional.of(new PairAgreement("a", "b", 0, 1, 999, 1, 0.001)));
        assertThat(judge.judge(figures, incumbent, few).verdict()).isEmpty();
        assertThat(judge.judge(figures, incumbent, few).reason()).contains("at least 1000 frames compared with the shadow");
        var agreeing = Optional.of(Optional.of(new PairAgreement("a", "b", 0, 1, 1500, 30, 0.02)));
        assertThat(judge.judge(figures, incumbent, agreeing).verdict()).contains(ModelVerdict.PROMOTE);
        assertThat(judge.judge(figures, incumbent, Optional.of(Optional.empty())).verdict()).as("no pair yet").isEmpty();
    }
}
