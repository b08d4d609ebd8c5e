package dev.edgeinfer.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a classifier's output holds. */
public enum OutputKind implements ManifestValue {
    /** Unnormalized scores: the engine applies softmax. */
    LOGITS("logits"),
    /** Probabilities that sum to one. */
    PROBABILITIES("probabilities");

    private final String manifestName;

    OutputKind(String manifestName) {
        this.manifestName = manifestName;
    }

    /** @return the name in the manifest, e.g. {@code logits} */
    @JsonValue
    @Override
    public String manifestName() {
        return manifestName;
    }

    /** @return {@link #manifestName()}, so that messages spell the value as the manifest does */
    @Override
    public String toString() {
        return manifestName;
    }
}
