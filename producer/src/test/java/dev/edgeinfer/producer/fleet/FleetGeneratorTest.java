package dev.edgeinfer.producer.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.FailureStage;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FleetGeneratorTest {

    private static final int FRAMES = 100_000;

    /** Four types: the reference, one less and one more accurate than it, one as accurate. */
    private static FleetSettings settings(long seed, double deadLetterShare) {
        List<DeviceType> types = DeviceTypes.generated(4);
        List<TypeProfile> profiles = List.of(
                TypeProfile.of(types.get(0), 0.92, 0),
                TypeProfile.of(types.get(1), 0.90, 0.05),
                TypeProfile.of(types.get(2), 0.95, 0.06),
                TypeProfile.of(types.get(3), 0.92, 0.02));
        return new FleetSettings(40, profiles, 1000, null, 0, deadLetterShare, 0.8,
                FleetSettings.DEFAULT_HEARTBEAT_INTERVAL, FleetSettings.DEFAULT_TRANSPORT, seed);
    }

    @Test
    void theSameSeedGivesTheSameFramesAndAnotherSeedOthers() {
        FleetGenerator one = new FleetGenerator(settings(7, 0.01));
        FleetGenerator again = new FleetGenerator(settings(7, 0.01));
        FleetGenerator other = new FleetGenerator(settings(8, 0.01));
        // Out of order too: a frame depends on its number only.
        for (long n : new long[] {0, 1, 2, 999, 3, 123_456}) {
            assertThat(again.frame(n)).isEqualTo(one.frame(n));
        }
        long differing = IntStream.range(0, 100).filter(n -> !other.frame(n).results().equals(one.frame(n).results())).count();
        assertThat(differing).isEqualTo(100);
        assertThat(one.frame(5).frameId()).isEqualTo("sim-7-5");
        assertThat(other.frame(5).frameId()).isEqualTo("sim-8-5");
    }

    @Test
    void everyTypePredictsEveryFrameOnceByItsDevicesInTurn() {
        FleetSettings settings = settings(1, 0);
        FleetGenerator generator = new FleetGenerator(settings);
        int[][] perDevice = new int[4][10];
        for (int n = 0; n < 1000; n++) {
            SimulatedFrame frame = generator.frame(n);
            assertThat(frame.results()).extracting(SimulatedFrame.TypeResult::typeIndex).containsExactly(0, 1, 2, 3);
            assertThat(frame.results()).allMatch(SimulatedFrame.TypeResult::predicted);
            for (SimulatedFrame.TypeResult result : frame.results()) {
                perDevice[result.typeIndex()][result.deviceIndex()]++;
            }
        }
        assertThat(settings.devicesOf(0)).isEqualTo(10);
        for (int[] type : perDevice) {
            assertThat(type).containsOnly(100);
        }
    }

    @Test
    void accuracyAndDisagreementComeOutAsConfigured() {
        FleetSettings settings = settings(42, 0);
        FleetGenerator generator = new FleetGenerator(settings);
        long[] correct = new long[4];
        long[] disagree = new long[4];
        long labelled = 0;
        for (int n = 0; n < FRAMES; n++) {
            SimulatedFrame frame = generator.frame(n);
            int reference = frame.results().get(0).predictedClass();
            labelled += frame.labelled() ? 1 : 0;
            for (SimulatedFrame.TypeResult result : frame.results()) {
                correct[result.typeIndex()] += result.predictedClass() == frame.truth() ? 1 : 0;
                disagree[result.typeIndex()] += result.predictedClass() != reference ? 1 : 0;
            }
        }
        // Four standard deviations or more at 100k frames: about 0.0009 for 0.92, 0.0007 for 0.05.
        for (int t = 0; t < 4; t++) {
            TypeProfile type = settings.types().get(t);
            assertThat((double) correct[t] / FRAMES).as("accuracy of %s", type.name()).isCloseTo(type.accuracy(), within(0.004));
            assertThat((double) disagree[t] / FRAMES).as("disagreement of %s", type.name())
                    .isCloseTo(type.disagreement(), within(0.003));
        }
        assertThat((double) labelled / FRAMES).as("ground-truth share").isCloseTo(0.8, within(0.005));
    }

    @Test
    void deadLettersTakeTheirShareHalfFromBadFramesEveryTypeFails() {
        FleetGenerator generator = new FleetGenerator(settings(3, 0.01));
        long results = 0;
        long dead = 0;
        long decode = 0;
        for (int n = 0; n < FRAMES; n++) {
            List<SimulatedFrame.TypeResult> frame = generator.frame(n).results();
            long decodeFailures = frame.stream().filter(r -> r.failure() == FailureStage.DECODE).count();
            assertThat(decodeFailures).as("a bad frame fails on every type").isIn(0L, 4L);
            results += frame.size();
            dead += frame.stream().filter(r -> !r.predicted()).count();
            decode += decodeFailures;
        }
        assertThat((double) dead / results).isCloseTo(0.01, within(0.001));
        assertThat((double) decode / dead).isCloseTo(0.5, within(0.06));
        assertThat(new FleetGenerator(settings(3, 0)).frame(17).results()).allMatch(SimulatedFrame.TypeResult::predicted);
    }

    @Test
    void scoresAndTimingsLookLikeAnEdgeDevicesOwn() {
        FleetSettings settings = settings(5, 0);
        FleetGenerator generator = new FleetGenerator(settings);
        long[] inference = new long[20_001];
        for (int n = 0; n < inference.length; n++) {
            SimulatedFrame.TypeResult result = generator.frame(n).results().get(1);
            List<ClassScore> topK = result.topK();
            assertThat(topK).hasSize(3);
            assertThat(topK.get(0).getClassIndex()).isEqualTo(result.predictedClass());
            assertThat(topK).extracting(ClassScore::getClassIndex).doesNotHaveDuplicates();
            assertThat(topK.get(0).getScore()).isGreaterThan(topK.get(1).getScore());
            assertThat(topK.get(1).getScore()).isGreaterThan(topK.get(2).getScore());
            assertThat(topK.get(0).getScore() + topK.get(1).getScore() + topK.get(2).getScore()).isLessThanOrEqualTo(1.0f);
            var timings = result.timings();
            assertThat(timings.getTotalOnDeviceMicros()).isGreaterThan(timings.getQueueWaitMicros()
                    + timings.getPreprocessMicros() + timings.getInferenceMicros());
            inference[n] = timings.getInferenceMicros();
        }
        Arrays.sort(inference);
        double median = settings.types().get(1).inference().medianMicros();
        assertThat((double) inference[inference.length / 2]).isCloseTo(median, within(median * 0.05));
    }

    @Test
    void wrongAnswersFollowTheModelsConfusions() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        int[] catMistakenFor = new int[10];
        for (int i = 0; i < 10_000; i++) {
            catMistakenFor[FleetGenerator.wrongClass(3, -1, random)]++;
        }
        assertThat(catMistakenFor[3]).isZero();
        assertThat(IntStream.range(0, 10).boxed().max((a, b) -> catMistakenFor[a] - catMistakenFor[b]).orElseThrow())
                .as("cats pass for dogs most").isEqualTo(5);
        for (int i = 0; i < 1000; i++) {
            assertThat(FleetGenerator.wrongClass(3, 5, random)).isNotIn(3, 5);
        }
    }
}
