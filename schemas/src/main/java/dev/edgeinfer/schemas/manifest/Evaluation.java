package dev.edgeinfer.schemas.manifest;

/**
 * Accuracy of an artifact as the model pipeline measured it; a field is {@code null} where it was not measured.
 *
 * @param testTop1      top-1 accuracy on the whole CIFAR-10 test set
 * @param first1000Top1 top-1 accuracy on its first 1000 images
 */
public record Evaluation(Double testTop1, Double first1000Top1) {
}
