package dev.edgeinfer.edge.engine;

import java.util.ArrayList;
import java.util.List;

/** Turns a model's raw outputs into probabilities and the best classes. */
public final class Scores {
    private Scores() {
    }

    /**
     * Numerically stable softmax of {@code count} values starting at {@code offset}.
     *
     * @param values the raw outputs
     * @param offset where this frame's values start
     * @param count  classes
     * @return the probabilities, summing to 1
     */
    public static float[] softmax(float[] values, int offset, int count) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, values[offset + i]);
        }
        float[] probabilities = new float[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            double e = Math.exp(values[offset + i] - max);
            probabilities[i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < count; i++) {
            probabilities[i] = (float) (probabilities[i] / sum);
        }
        return probabilities;
    }

    /**
     * @param probabilities one per class
     * @param k             how many to keep
     * @param classNames    names in class order
     * @return the {@code k} most probable classes, best first (immutable); ties keep the lower index first
     */
    public static List<ClassScore> topK(float[] probabilities, int k, List<String> classNames) {
        int keep = Math.min(k, probabilities.length);
        if (keep <= 0) {
            return List.of();
        }
        // One pass over the classes, keeping the best indices in order (k is a handful): it runs for every frame.
        int[] best = new int[keep];
        int kept = 0;
        for (int i = 0; i < probabilities.length; i++) {
            float probability = probabilities[i];
            if (kept == keep && !(probability > probabilities[best[keep - 1]])) {
                continue;
            }
            // Strictly greater moves up: an equal probability stays behind the lower index kept before it.
            int at = kept < keep ? kept++ : keep - 1;
            while (at > 0 && probability > probabilities[best[at - 1]]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        ClassScore[] scores = new ClassScore[keep];
        for (int i = 0; i < keep; i++) {
            scores[i] = new ClassScore(best[i], classNames.get(best[i]), probabilities[best[i]]);
        }
        // Immutable already, so the prediction keeps it as it is instead of copying it.
        return List.of(scores);
    }

    /**
     * @param outputs    a batch's outputs, {@code frames x classes}, row-major
     * @param frames     frames in the batch
     * @param logits     whether the outputs are logits (softmax applied) or already probabilities
     * @param k          classes to keep per frame
     * @param classNames names in class order
     * @return one prediction per frame
     */
    public static List<Prediction> predictions(float[] outputs, int frames, boolean logits, int k,
                                               List<String> classNames) {
        int classes = classNames.size();
        List<Prediction> predictions = new ArrayList<>(frames);
        for (int f = 0; f < frames; f++) {
            float[] probabilities;
            if (logits) {
                probabilities = softmax(outputs, f * classes, classes);
            } else {
                probabilities = new float[classes];
                System.arraycopy(outputs, f * classes, probabilities, 0, classes);
            }
            predictions.add(new Prediction(probabilities, topK(probabilities, k, classNames)));
        }
        return predictions;
    }
}
