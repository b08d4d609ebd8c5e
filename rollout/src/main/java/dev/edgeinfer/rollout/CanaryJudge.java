package dev.edgeinfer.rollout;

import dev.edgeinfer.avro.ModelVerdict;
import dev.edgeinfer.schemas.analytics.LatencySummary;
import dev.edgeinfer.schemas.analytics.PairAgreement;
import dev.edgeinfer.schemas.analytics.PercentileValue;
import dev.edgeinfer.schemas.analytics.WindowStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges a canary from the analytics' figures of the candidate and the incumbent (each a model version on the device
 * type): roll back as soon as the figures show the candidate worse than the thresholds allow, promote once they show it
 * is not, wait while they cannot tell.
 *
 * <p>The figures are judged only where they can be: accuracy once each side has {@link Thresholds#minLabelled} labelled
 * predictions, the end-to-end p99 once the analytics report it for both (a percentile {@code p} is reported only when
 * {@code n * (1 - p) >= 10} samples support it, the API's rule, so a p99 needs 1,000). Promotion needs both judged.
 */
final class CanaryJudge {

    /**
     * @param maxAccuracyDrop largest drop of accuracy allowed, in accuracy points (0.02: two percentage points)
     * @param minLabelled     labelled predictions each side needs before accuracy is judged
     * @param maxP99Ratio     largest candidate-to-incumbent ratio of end-to-end p99 allowed
     * @param maxDisagreement largest share of the frames both classified on which a shadow may disagree with the type
     */
    record Thresholds(double maxAccuracyDrop, long minLabelled, double maxP99Ratio, double maxDisagreement) {
        Thresholds {
            if (maxAccuracyDrop < 0 || maxAccuracyDrop > 1 || minLabelled < 1 || maxP99Ratio <= 0 || maxDisagreement < 0
                    || maxDisagreement > 1) {
                throw new IllegalArgumentException("thresholds out of range: accuracy drop " + maxAccuracyDrop
                        + " (0..1), labelled frames " + minLabelled + " (at least 1), p99 ratio " + maxP99Ratio
                        + " (above 0), disagreement "
                        + maxDisagreement + " (0..1)");
            }
        }
    }

    /** What the figures say now; {@code verdict} is empty while they cannot tell. */
    record Judgement(Optional<ModelVerdict> verdict, String reason, Side candidate, Side incumbent, Agreement agreement) {
    }

    /** A shadow's agreement with the type's devices on the frames both classified; none without a shadow. */
    record Agreement(long compared, Double disagreement) {
        static final Agreement NONE = new Agreement(0, null);

        static Agreement of(Optional<PairAgreement> pair) {
            return pair.map(p -> new Agreement(p.compared(), p.disagreement())).orElse(NONE);
        }
    }

    /** One side's figures: labelled predictions, accuracy (null without labels), end-to-end p99 (null unless reported). */
    record Side(long labelled, Double accuracy, Long p99Micros) {
        static Side of(Optional<WindowStats> stats) {
            return stats.map(s -> new Side(s.framesWithGroundTruth(), s.accuracy(), p99(s.endToEnd()))).orElse(new Side(0, null, null));
        }

        private static Long p99(LatencySummary latency) {
            if (latency == null) {
                return null;
            }
            PercentileValue p99 = latency.percentile("p99");
            return PercentileValue.OK.equals(p99.verdict()) ? p99.micros() : null;
        }
    }

    private final Thresholds thresholds;

    CanaryJudge(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    Thresholds thresholds() {
        return thresholds;
    }

    /** A cohort canary: accuracy and latency. */
    Judgement judge(Optional<WindowStats> candidateStats, Optional<WindowStats> incumbentStats) {
        return judge(candidateStats, incumbentStats, Optional.empty());
    }

    /**
     * A canary judged also on its agreement with the type's devices, when {@code shadow} holds the pair's agreement (a
     * shadow device type classifies every frame the type does): disagreement is judged once {@link
     * Thresholds#minLabelled} frames were compared, and a shadow is promoted only then.
     */
    Judgement judge(Optional<WindowStats> candidateStats, Optional<WindowStats> incumbentStats,
                    Optional<Optional<PairAgreement>> shadow) {
        Side candidate = Side.of(candidateStats);
        Side incumbent = Side.of(incumbentStats);
        Agreement agreement = shadow.map(Agreement::of).orElse(Agreement.NONE);
        boolean accuracyJudged = candidate.labelled() >= thresholds.minLabelled() && incumbent.labelled() >= thresholds.minLabelled()
                && candidate.accuracy() != null && incumbent.accuracy() != null;
        boolean latencyJudged = candidate.p99Micros() != null && incumbent.p99Micros() != null;
        boolean agreementJudged = shadow.isEmpty()
                || (agreement.compared() >= thresholds.minLabelled() && agreement.disagreement() != null);
        String figures = figures(candidate, incumbent) + (shadow.isEmpty() ? "" : String.format(Locale.ROOT,
                ", disagreement %s on %d frames compared", agreement.disagreement() == null ? "n/a"
                        : String.format(Locale.ROOT, "%.4f", agreement.disagreement()),
                agreement.compared()));
        if (accuracyJudged && incumbent.accuracy() - candidate.accuracy() > thresholds.maxAccuracyDrop()) {
            return new Judgement(Optional.of(ModelVerdict.ROLLBACK), String.format(Locale.ROOT,
                    "accuracy dropped by %.4f, more than the %.4f allowed; %s", incumbent.accuracy() - candidate.accuracy(),
                    thresholds.maxAccuracyDrop(), figures), candidate, incumbent, agreement);
        }
        if (shadow.isPresent() && agreementJudged && agreement.disagreement() > thresholds.maxDisagreement()) {
            return new Judgement(Optional.of(ModelVerdict.ROLLBACK), String.format(Locale.ROOT,
                    "the shadow disagreed on %.4f of the frames, more than the %.4f allowed; %s", agreement.disagreement(),
                    thresholds.maxDisagreement(), figures), candidate, incumbent, agreement);
        }
        if (latencyJudged && candidate.p99Micros() > thresholds.maxP99Ratio() * incumbent.p99Micros()) {
            return new Judgement(Optional.of(ModelVerdict.ROLLBACK), String.format(Locale.ROOT,
                    "end-to-end p99 is %.2f times the incumbent's, more than the %.2f allowed; %s",
                    candidate.p99Micros() / (double) incumbent.p99Micros(), thresholds.maxP99Ratio(), figures), candidate, incumbent,
                    agreement);
        }
        if (accuracyJudged && latencyJudged && agreementJudged) {
            return new Judgement(Optional.of(ModelVerdict.PROMOTE), "within every threshold; " + figures, candidate, incumbent,
                    agreement);
        }
        List<String> waiting = new ArrayList<>();
        if (!accuracyJudged) {
            waiting.add("at least " + thresholds.minLabelled() + " labelled predictions on each side");
        }
        if (!latencyJudged) {
            waiting.add("a p99 of each side (1,000 samples)");
        }
        if (!agreementJudged) {
            waiting.add("at least " + thresholds.minLabelled() + " frames compared with the shadow");
        }
        return new Judgement(Optional.empty(), "waiting for " + String.join(" and ", waiting) + "; " + figures, candidate,
                incumbent, agreement);
    }

    private static String figures(Side candidate, Side incumbent) {
        return String.format(Locale.ROOT, "candidate %s, incumbent %s", side(candidate), side(incumbent));
    }

    private static String side(Side side) {
        return String.format(Locale.ROOT, "accuracy %s on %d labelled, p99 %s", side.accuracy() == null ? "n/a"
                : String.format(Locale.ROOT, "%.4f", side.accuracy()), side.labelled(),
                side.p99Micros() == null ? "n/a"
                        : String.format(Locale.ROOT, "%.1f ms", side.p99Micros() / 1000.0));
    }
}
