package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.producer.source.Cifar10Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Works out each simulated frame: its true class, and for every device type the device that handles it, that
 * device's answer, scores and timings, or its failure. Frame {@code n} depends only on the settings and {@code n}
 * (each frame draws from a random generator seeded with the run's seed and its number), so a run repeats exactly
 * under the same seed however far it gets, and frames can be worked out in any order.
 */
final class FleetGenerator {

    private static final int CLASSES = Cifar10Labels.CLASSES.size();
    /** Waiting in the device's consumer for a batch to start. */
    private static final LatencyDistribution QUEUE_WAIT = LatencyDistribution.ofMillis(0.15, 2.0);
    /** Decoding and tensor filling of one 32x32 frame. */
    private static final LatencyDistribution PREPROCESS = LatencyDistribution.ofMillis(0.025, 0.12);
    /** From the end of inference to the hand-off to Kafka. */
    private static final LatencyDistribution HANDOFF = LatencyDistribution.ofMillis(0.015, 0.08);
    /**
     * How often the project's model mistakes each CIFAR-10 class for each other (rows: true class), from the ONNX FP32
     * artifact's confusion matrix in models/manifest.json; wrong answers follow it, so cats pass for dogs far more
     * often than for trucks. One is added to every cell below so that any mistake can happen.
     */
    private static final int[][] CONFUSION = {
            {0, 8, 16, 6, 1, 1, 3, 3, 27, 11}, {1, 0, 1, 0, 0, 1, 0, 1, 4, 27}, {25, 2, 0, 19, 24, 14, 32, 11, 3, 0},
            {9, 3, 19, 0, 19, 92, 23, 9, 5, 3}, {2, 0, 12, 26, 0, 11, 9, 8, 2, 0}, {5, 1, 12, 63, 15, 0, 5, 15, 0, 0},
            {5, 1, 12, 23, 7, 6, 0, 2, 1, 2}, {2, 0, 2, 15, 16, 7, 2, 0, 1, 2}, {23, 8, 3, 4, 0, 1, 3, 1, 0, 5},
            {6, 29, 1, 4, 0, 1, 0, 1, 8, 0}};
    /** Share of wrong answers whose runner-up is the true class. */
    private static final double TRUTH_RUNNER_UP = 0.6;

    private final FleetSettings settings;
    private final List<AnswerModel> answers;
    /** Chance that a frame cannot be decoded by any type, and that a device fails inference of a frame it decoded. */
    private final double badFrameChance;
    private final double inferenceFailureChance;

    FleetGenerator(FleetSettings settings) {
        this.settings = settings;
        this.answers = FleetSettings.answerModels(settings.types());
        // Half the dead-letter share from each cause: bad + (1 - bad) * failure = share.
        this.badFrameChance = settings.deadLetterShare() / 2;
        this.inferenceFailureChance = badFrameChance >= 1 ? 0 : badFrameChance / (1 - badFrameChance);
    }

    /** Frame {@code sequence} and every type's result for it. */
    SimulatedFrame frame(long sequence) {
        SplittableRandom random = new SplittableRandom(mix(settings.seed(), sequence));
        int truth = random.nextInt(CLASSES);
        boolean labelled = random.nextDouble() < settings.groundTruthShare();
        long captureLead = settings.transport().sampleMicros(random);
        boolean badFrame = random.nextDouble() < badFrameChance;
        AnswerModel.WrongClassPicker confusion = (real, excluded) -> wrongClass(real, excluded, random);
        int reference = random.nextDouble() < settings.reference().accuracy() ? truth : confusion.pick(truth, -1);
        List<SimulatedFrame.TypeResult> results = new ArrayList<>(settings.types().size());
        for (int t = 0; t < settings.types().size(); t++) {
            int answer = t == 0 ? reference : answers.get(t).answer(truth, reference, random.nextDouble(), confusion);
            FailureStage failure = badFrame ? FailureStage.DECODE
                    : random.nextDouble() < inferenceFailureChance ? FailureStage.INFERENCE : null;
            int device = (int) (sequence % settings.devicesOf(t));
            results.add(new SimulatedFrame.TypeResult(t, device, failure, answer, topK(answer, truth, random),
                    timings(settings.types().get(t), failure, random), settings.transport().sampleMicros(random)));
        }
        return new SimulatedFrame(sequence, settings.frameId(sequence), truth, labelled, captureLead, List.copyOf(results));
    }

    private static DeviceTimings timings(TypeProfile type, FailureStage failure, SplittableRandom random) {
        long queueWait = QUEUE_WAIT.sampleMicros(random);
        long preprocess = PREPROCESS.sampleMicros(random);
        long inference = type.inference().sampleMicros(random);
        long handoff = HANDOFF.sampleMicros(random);
        if (failure == FailureStage.DECODE) {
            return new DeviceTimings(queueWait, preprocess, 0L, queueWait + preprocess);
        }
        if (failure != null) {
            return new DeviceTimings(queueWait, preprocess, inference, queueWait + preprocess + inference);
        }
        return new DeviceTimings(queueWait, preprocess, inference, queueWait + preprocess + inference + handoff);
    }

    /** Three classes, the answer first, with softmax-like scores: higher and more certain when the answer is right. */
    private List<ClassScore> topK(int answer, int truth, SplittableRandom random) {
        boolean right = answer == truth;
        float top = (float) (right ? 0.6 + 0.39 * Math.sqrt(random.nextDouble()) : 0.35 + 0.5 * random.nextDouble());
        int second = !right && random.nextDouble() < TRUTH_RUNNER_UP ? truth : wrongClass(truth, answer, random);
        int third = random.nextInt(CLASSES - 2);
        for (int taken : new int[] {Math.min(answer, second), Math.max(answer, second)}) {
            if (third >= taken) {
                third++;
            }
        }
        float secondScore = (float) Math.min((1 - top) * (0.5 + 0.45 * random.nextDouble()), top * 0.95);
        float thirdScore = (float) Math.min((1 - top - secondScore) * (0.3 + 0.5 * random.nextDouble()), secondScore * 0.95);
        return List.of(score(answer, top), score(second, secondScore), score(third, thirdScore));
    }

    /** A class other than {@code truth} and {@code excluded} (-1 for none), as often as the model confuses it. */
    static int wrongClass(int truth, int excluded, SplittableRandom random) {
        int[] row = CONFUSION[truth];
        int total = 0;
        for (int c = 0; c < CLASSES; c++) {
            total += c == truth || c == excluded ? 0 : row[c] + 1;
        }
        int draw = random.nextInt(total);
        for (int c = 0; c < CLASSES; c++) {
            if (c == truth || c == excluded) {
                continue;
            }
            draw -= row[c] + 1;
            if (draw < 0) {
                return c;
            }
        }
        throw new IllegalStateException("no wrong class drawn for class " + truth + " excluding " + excluded);
    }

    /** SplitMix64's finalizer over the seed and the frame number: neighbouring frames get unrelated generators. */
    static long mix(long seed, long sequence) {
        long z = seed + (sequence + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static ClassScore score(int classIndex, float score) {
        return new ClassScore(classIndex, Cifar10Labels.CLASSES.get(classIndex), score);
    }
}
