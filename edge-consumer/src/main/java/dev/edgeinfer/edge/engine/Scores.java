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
     * @return the {@code k} most probable classes, best first; ties keep the lower index first
     */
    public static List<ClassScore> topK(float[] probabilities, int k, List<String> classNames) {
        int keep = Math.min(k, probabilities.length);
        List<ClassScore> best = new ArrayList<>(keep);
        boolean[] taken = new boolean[probabilities.length];
        for (int rank = 0; rank < keep; rank++) {
            int bestIndex = -1;
            for (int i = 0; i < probabilities.length; i++) {
                if (!taken[i] && (bestIndex < 0 || probabilities[i] > probabilities[bestIndex])) {
                    bestIndex = i;
                }
            }
            taken[bestIndex] = true;
            best.add(new ClassScore(bestIndex, classNames.get(bestIndex), probabilities[bestIndex]));
        }
        return best;
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
