package dev.edgeinfer.schemas.manifest;

/** What a classifier's output holds. */
public enum OutputKind implements ManifestValue {
    /** Unnormalized scores: the engine applies softmax. */
    LOGITS,
    /** Probabilities that sum to one. */
    PROBABILITIES;

    /** @return {@link #manifestName()}, so that messages spell the value as the manifest does */
    @Override
    public String toString() {
        return manifestName();
    }
}
