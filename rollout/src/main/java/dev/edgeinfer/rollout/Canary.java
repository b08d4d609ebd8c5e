package dev.edgeinfer.rollout;

import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelDecision;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.ModelVerdict;
import dev.edgeinfer.schemas.analytics.AnalyticsClient;
import dev.edgeinfer.schemas.analytics.ModelKeys;
import dev.edgeinfer.schemas.analytics.PairAgreement;
import dev.edgeinfer.schemas.analytics.WindowStats;
import dev.edgeinfer.schemas.manifest.ManifestException;
import dev.edgeinfer.schemas.models.ModelTargets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * One canary, start to decision: the candidate published to a cohort of a device type that already has an assignment
 * (the incumbent, which the cohort returns to on a rollback), then the analytics' figures of both model versions on that
 * type read every poll and judged ({@link CanaryJudge}) until they decide, or the time is up (a rollback: a canary that
 * cannot show it is as good is not promoted). The decision, with its figures and thresholds, is written with its effect
 * ({@link ModelPublisher#decide}).
 */
final class Canary {

    /** Where and how long to watch. */
    record Watch(AnalyticsClient analytics, String view, Duration poll, Duration timeout) {
    }

    private final ModelPublisher publisher;
    private final CanaryJudge judge;
    private final Clock clock;
    private final String decidedBy;
    private final PrintStream out;

    Canary(ModelPublisher publisher, CanaryJudge judge, Clock clock, String decidedBy, PrintStream out) {
        this.publisher = publisher;
        this.judge = judge;
        this.clock = clock;
        this.decidedBy = decidedBy;
        this.out = out;
    }

    /**
     * What to try and where: on a cohort of the device type's devices, or on a shadow device type whose devices see every
     * frame the type's see (its own consumer group), judged also on their agreement.
     */
    record Trial(Path modelsDir, String artifactId, String deviceType, String cohort, int sharePercent,
                 String shadowDeviceType) {
        Trial {
            if ((cohort == null) == (shadowDeviceType == null)) {
                throw new IllegalArgumentException("a canary runs on a cohort or on a shadow device type: name one of them");
            }
        }

        ModelPublisher.Publication publication() {
            return shadowDeviceType == null ? new ModelPublisher.Publication(modelsDir, artifactId, deviceType, cohort, sharePercent)
                    : new ModelPublisher.Publication(modelsDir, artifactId, shadowDeviceType, null, 100);
        }
    }

    /**
     * @param trial   what to try, and where
     * @param inForce the assignments in force now
     * @return the decision taken and written
     * @throws IllegalArgumentException if the device type has no assignment to return to, or the candidate is the
     *                                  incumbent's model version (the analytics could not tell them apart)
     */
    ModelDecision run(Trial trial, Collection<ModelAssignment> inForce, Watch watch)
            throws ManifestException, IOException, InterruptedException {
        String type = trial.deviceType();
        ModelAssignment incumbent = inForce.stream().filter(a -> a.getDeviceType().equals(type) && a.getCohort() == null)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("device type " + type + " has no assignment on the "
                        + "models topic for a rollback to return to: publish the model its devices run first (models publish "
                        + "--device-type " + type + ")"));
        ModelAssignment tried = publisher.publish(trial.publication());
        if (trial.shadowDeviceType() == null && sameVersion(tried.getModel(), incumbent.getModel())) {
            publisher.decide(tried, decision(trial, tried, incumbent, ModelVerdict.ROLLBACK, "the candidate is the incumbent's "
                    + "model version, which the analytics cannot tell apart", judge.judge(Optional.empty(), Optional.empty())));
            throw new IllegalArgumentException("the candidate is model " + tried.getModel().getName() + " "
                    + tried.getModel().getVersion() + ", as the incumbent: give it a version of its own");
        }
        String candidateKey = modelKey(tried.getDeviceType(), tried.getModel());
        String incumbentKey = modelKey(type, incumbent.getModel());
        Instant deadline = clock.instant().plus(watch.timeout());
        CanaryJudge.Judgement judgement;
        while (true) {
            Optional<WindowStats> candidateStats = watch.analytics().stats("model", candidateKey, watch.view());
            Optional<WindowStats> incumbentStats = watch.analytics().stats("model", incumbentKey, watch.view());
            Optional<Optional<PairAgreement>> shadow = trial.shadowDeviceType() == null ? Optional.empty()
                    : Optional.of(watch.analytics().agreement(watch.view()).flatMap(report -> report.pairs().stream()
                            .filter(p -> p.involves(type) && p.involves(trial.shadowDeviceType())).findFirst()));
            judgement = judge.judge(candidateStats, incumbentStats, shadow);
            out.println(clock.instant() + " " + ModelTargets.key(tried) + ": " + judgement.reason());
            if (judgement.verdict().isPresent()) {
                break;
            }
            if (!clock.instant().isBefore(deadline)) {
                judgement = new CanaryJudge.Judgement(Optional.of(ModelVerdict.ROLLBACK), "no decision within "
                        + watch.timeout() + ": " + judgement.reason(), judgement.candidate(), judgement.incumbent(),
                        judgement.agreement());
                break;
            }
            Thread.sleep(watch.poll().toMillis());
        }
        ModelDecision decision = decision(trial, tried, incumbent, judgement.verdict().orElseThrow(), judgement.reason(),
                judgement);
        publisher.decide(tried, decision);
        return decision;
    }

    /** The analytics' key of a model version on a device type. */
    static String modelKey(String deviceType, ModelRef model) {
        return ModelKeys.of(deviceType, model.getName(), model.getVersion());
    }

    private static boolean sameVersion(ModelRef a, ModelRef b) {
        return a.getName().equals(b.getName()) && a.getVersion().equals(b.getVersion());
    }

    private ModelDecision decision(Trial trial, ModelAssignment tried, ModelAssignment incumbent, ModelVerdict verdict,
                                   String reason, CanaryJudge.Judgement judgement) {
        CanaryJudge.Thresholds t = judge.thresholds();
        return ModelDecision.newBuilder()
                .setDeviceType(trial.deviceType())
                .setCohort(trial.cohort())
                .setSharePercent(trial.shadowDeviceType() == null ? trial.sharePercent() : 0)
                .setShadowDeviceType(trial.shadowDeviceType())
                .setCandidate(tried.getModel())
                .setIncumbent(incumbent.getModel())
                .setDecision(verdict)
                .setReason(reason)
                .setCandidateFramesWithGroundTruth(judgement.candidate().labelled())
                .setCandidateAccuracy(judgement.candidate().accuracy())
                .setIncumbentFramesWithGroundTruth(judgement.incumbent().labelled())
                .setIncumbentAccuracy(judgement.incumbent().accuracy())
                .setCandidateP99Micros(judgement.candidate().p99Micros())
                .setIncumbentP99Micros(judgement.incumbent().p99Micros())
                .setComparedFrames(judgement.agreement().compared())
                .setDisagreement(judgement.agreement().disagreement())
                .setMaxAccuracyDrop(t.maxAccuracyDrop())
                .setMinFramesWithGroundTruth(t.minLabelled())
                .setMaxP99Ratio(t.maxP99Ratio())
                .setMaxDisagreement(t.maxDisagreement())
                .setDecidedBy(decidedBy)
                .setTime(clock.instant())
                .build();
    }
}
