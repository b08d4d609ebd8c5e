package dev.edgeinfer.edge.engine;

import java.util.List;

/**
 * The engine's answer for one frame.
 *
 * @param probabilities one softmax probability per class, in the model's class order (not copied: don't modify)
 * @param topK          the most probable classes, best first
 */
public record Prediction(float[] probabilities, List<ClassScore> topK) {
    public Prediction {
        topK = List.copyOf(topK);
    }

    /** @return the most probable class */
    public ClassScore top() {
        return topK.get(0);
    }
}
