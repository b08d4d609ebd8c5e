package dev.edgeinfer.schemas.manifest;

/**
 * What was trained.
 *
 * @param name            e.g. {@code cifar10-resnet9q}
 * @param version         the model's version
 * @param trainedAtCommit the commit the training ran at
 * @param parameters      trainable parameters, if recorded
 * @param macsPerImage    multiply-accumulates per image, if recorded
 */
public record ModelInfo(String name, String version, String trainedAtCommit, Long parameters, Long macsPerImage) {
}
