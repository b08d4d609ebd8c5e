package dev.edgeinfer.edge.engine;

/**
 * One class and its probability.
 *
 * @param classIndex  index in the model's output
 * @param className   the manifest's name for it
 * @param probability softmax probability, 0 to 1
 */
public record ClassScore(int classIndex, String className, float probability) {
}
