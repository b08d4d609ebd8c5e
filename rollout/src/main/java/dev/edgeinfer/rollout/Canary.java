package dev.edgeinfer.rollout;

import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelDecision;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.ModelVerdict;
import dev.edgeinfer.schemas.analytics.AnalyticsClient;
import dev.edgeinfer.schemas.analytics.WindowStats;
import dev.edgeinfer.schemas.manifest.ManifestException;
import dev.edgeinfer.schemas.models.ModelTargets;
import java.io.IOException;
import java.io.PrintStream;
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
     * @param candidate what to try, on which cohort and share (a cohort is required)
     * @param inForce   the assignments in force now
     * @return the decision taken and written
     * @throws IllegalArgumentException if the device type has no assignment to return to, or the candidate is the
     *                                  incumbent's model version (the analytics could not tell them apart)
     */
    ModelDecision run(ModelPublisher.Publication candidate, Collection<ModelAssignment> inForce, Watch watch)
            throws ManifestException, IOException, InterruptedException {
        if (candidate.cohort() == null) {
            throw new IllegalArgumentException("a canary runs on a cohort: name one");
        }
        ModelAssignment incumbent = inForce.stream()
                .filter(a -> a.getDeviceType().equals(candidate.deviceType()) && a.getCohort() == null).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("device type " + candidate.deviceType() + " has no "
                        + "assignment on the models topic for a rollback to return to: publish the model its devices run "
                        + "first (models publish --device-type " + candidate.deviceType() + ")"));
        ModelAssignment cohort = publisher.publish(candidate);
        if (sameVersion(cohort.getModel(), incumbent.getModel())) {
            publisher.decide(cohort, decision(cohort, incumbent, ModelVerdict.ROLLBACK, "the candidate is the incumbent's "
                    + "model version, which the analytics cannot tell apart", judge.judge(Optional.empty(), Optional.empty())));
            throw new IllegalArgumentException("the candidate is model " + cohort.getModel().getName() + " "
                    + cohort.getModel().getVersion() + ", as the incumbent: give it a version of its own");
        }
        String type = candidate.deviceType();
        String candidateKey = modelKey(type, cohort.getModel());
        String incumbentKey = modelKey(type, incumbent.getModel());
        Instant deadline = clock.instant().plus(watch.timeout());
        CanaryJudge.Judgement judgement;
        while (true) {
            Optional<WindowStats> candidateStats = watch.analytics().stats("model", candidateKey, watch.view());
            Optional<WindowStats> incumbentStats = watch.analytics().stats("model", incumbentKey, watch.view());
            judgement = judge.judge(candidateStats, incumbentStats);
            out.println(clock.instant() + " " + ModelTargets.key(cohort) + ": " + judgement.reason());
            if (judgement.verdict().isPresent()) {
                break;
            }
            if (!clock.instant().isBefore(deadline)) {
                judgement = new CanaryJudge.Judgement(Optional.of(ModelVerdict.ROLLBACK), "no decision within "
                        + watch.timeout() + ": " + judgement.reason(), judgement.candidate(), judgement.incumbent());
                break;
            }
            Thread.sleep(watch.poll().toMillis());
        }
        ModelDecision decision = decision(cohort, incumbent, judgement.verdict().orElseThrow(), judgement.reason(), judgement);
        publisher.decide(cohort, decision);
        return decision;
    }

    /** The analytics' key of a model version on a device type. */
    static String modelKey(String deviceType, ModelRef model) {
        return deviceType + "@" + model.getName() + ":" + model.getVersion();
    }

    private static boolean sameVersion(ModelRef a, ModelRef b) {
        return a.getName().equals(b.getName()) && a.getVersion().equals(b.getVersion());
    }

    private ModelDecision decision(ModelAssignment cohort, ModelAssignment incumbent, ModelVerdict verdict, String reason,
                                   CanaryJudge.Judgement judgement) {
        CanaryJudge.Thresholds t = judge.thresholds();
        return ModelDecision.newBuilder()
                .setDeviceType(cohort.getDeviceType())
                .setCohort(cohort.getCohort())
                .setSharePercent(cohort.getSharePercent())
                .setCandidate(cohort.getModel())
                .setIncumbent(incumbent.getModel())
                .setDecision(verdict)
                .setReason(reason)
                .setCandidateFramesWithGroundTruth(judgement.candidate().labelled())
                .setCandidateAccuracy(judgement.candidate().accuracy())
                .setIncumbentFramesWithGroundTruth(judgement.incumbent().labelled())
                .setIncumbentAccuracy(judgement.incumbent().accuracy())
                .setCandidateP99Micros(judgement.candidate().p99Micros())
                .setIncumbentP99Micros(judgement.incumbent().p99Micros())
                .setMaxAccuracyDrop(t.maxAccuracyDrop())
                .setMinFramesWithGroundTruth(t.minLabelled())
                .setMaxP99Ratio(t.maxP99Ratio())
                .setDecidedBy(decidedBy)
                .setTime(clock.instant())
                .build();
    }
}
